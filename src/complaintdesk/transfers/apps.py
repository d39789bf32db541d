from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransfersConfig(AppConfig):
    name = "complaintdesk.transfers"
    label = "transfers"
    verbose_name = _("Transfers")

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from complaintdesk.accounts.roles import can
        from complaintdesk.complaints import panels
        from complaintdesk.core import nav
        from complaintdesk.transfers import timeline, views

        timeline.register()
        nav.register(nav.NavItem(12, _("Transferred complaint"), "transfer-register",
                                 lambda user: can(user, "complaint.register"), "nav-transfer-register"))
        panels.register(panels.Panel(5, "transfers/_transfer_panel.html", views.transfer_panel_context, "main"))
