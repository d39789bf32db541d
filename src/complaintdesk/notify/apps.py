from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "complaintdesk.notify"
    label = "notify"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # imported here, not at the top: these modules load models, which needs the app registry
        # that Django has filled only when it calls ready()

        from complaintdesk.core import nav
        from complaintdesk.notify.selectors import unread_count

        nav.register(nav.NavItem(90, _("Notices"), "notices", lambda u: True, "nav-notices", badge=unread_count))
