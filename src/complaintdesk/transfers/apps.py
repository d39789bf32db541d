from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransfersConfig(AppConfig):
    name = "complaintdesk.transfers"
    label = "transfers"
    verbose_name = _("Transfers")

    def ready(self) -> None:
        from complaintdesk.complaints import panels
        from complaintdesk.transfers import timeline, views

        timeline.register()
        panels.register(panels.Panel(5, "transfers/_transfer_panel.html", views.transfer_panel_context, "main"))
