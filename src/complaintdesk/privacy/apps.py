from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PrivacyConfig(AppConfig):
    name = "complaintdesk.privacy"
    label = "privacy"
    verbose_name = _("Privacy requests")

    def ready(self) -> None:
        from complaintdesk.accounts.roles import can
        from complaintdesk.core import nav
        from complaintdesk.core.periodic import periodic_register
        from complaintdesk.privacy.retention import retention_job

        periodic_register(retention_job)
        nav.register(nav.NavItem(93, pgettext_lazy("menu", "Privacy"), "privacy", lambda u: can(u, "privacy.answer"),
                                 "nav-privacy"))
