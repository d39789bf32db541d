from django.apps import AppConfig


class ClocksConfig(AppConfig):
    name = "complaintdesk.clocks"
    label = "clocks"
    verbose_name = "Clocks"

    def ready(self) -> None:
        from complaintdesk.clocks import alerts

        alerts.register()
