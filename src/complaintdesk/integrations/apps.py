from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "complaintdesk.integrations"
    label = "integrations"
    verbose_name = _("Integrations")

    def ready(self) -> None:

        from complaintdesk.core import events, nav
        from complaintdesk.core.periodic import periodic_register
        from complaintdesk.integrations import mailin, timeline, webhooks
        from complaintdesk.integrations.import_jobs import import_reports_purge
        from complaintdesk.integrations.views import may_import

        events.subscribe(webhooks.on_event, many=webhooks.on_events)
        periodic_register(import_reports_purge)
        timeline.register()
        mailin.register_notices()
        nav.register(nav.NavItem(90, _("Import"), "import", may_import, "nav-import"))
