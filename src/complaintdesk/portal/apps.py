from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "complaintdesk.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from complaintdesk.complaints import panels
        from complaintdesk.portal import timeline, views_staff

        timeline.register()
        panels.register(panels.Panel(30, "portal/_attachments_panel.html", views_staff.attachments_panel_context,
                                     "side"))
