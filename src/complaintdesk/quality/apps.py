from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "complaintdesk.quality"
    label = "quality"
    verbose_name = "Batch quality alerts"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from complaintdesk.core import nav
        from complaintdesk.reports import quality

        quality.register()
        nav.register(nav.NavItem(62, _("Quality alerts"), "quality-alerts", quality.may_view_alerts,
                                 "nav-quality-alerts"))
