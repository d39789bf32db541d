from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClocksConfig(AppConfig):
    name = "complaintdesk.clocks"
    label = "clocks"
    verbose_name = _("Clocks")

    def ready(self) -> None:
        # imported here, not at the top: these modules load models, which needs the app registry
        # that Django has filled only when it calls ready()
        from complaintdesk.clocks import alerts

        alerts.register()
