from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "complaintdesk.transfers"
    label = "transfers"
    verbose_name = "Transfers"

    def ready(self) -> None:
        from complaintdesk.complaints import panels
        from complaintdesk.transfers import timeline, views

        timeline.register()
        panels.register(panels.Panel(5, "transfers/_transfer_panel.html", views.transfer_panel_context, "main"))
