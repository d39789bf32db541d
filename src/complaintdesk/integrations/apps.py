from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "complaintdesk.integrations"
    label = "integrations"
    verbose_name = _("Integrations")

    def ready(self) -> None:

        from complaintdesk.core import events, nav
        from complaintdesk.integrations import timeline, webhooks
        from complaintdesk.integrations.views import may_import

        events.subscribe(webhooks.on_event, many=webhooks.on_events)
        timeline.register()
        nav.register(nav.NavItem(90, _("Import"), "import", may_import, "nav-import"))
