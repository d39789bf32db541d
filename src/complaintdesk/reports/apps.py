from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "complaintdesk.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:

        from complaintdesk.core import nav
        from complaintdesk.core.periodic import periodic_register
        from complaintdesk.reports import quality
        from complaintdesk.reports.access import dashboard_landing, may_view_reports
        from complaintdesk.reports.services import run_scheduled
        from complaintdesk.reports.services.exports import export_files_purge
        from complaintdesk.reports.services.summary import run_summary

        periodic_register(run_summary)
        periodic_register(run_scheduled)
        periodic_register(export_files_purge)
        nav.register_landing(dashboard_landing)
        nav.register(nav.NavItem(70, _("Dashboard"), "dashboard", may_view_reports, "nav-dashboard"))
        nav.register(nav.NavItem(71, _("Reports"), "report-monthly", may_view_reports, "nav-reports"))
        quality.register()
        nav.register(nav.NavItem(72, _("Quality alerts"), "quality-alerts", quality.may_view_alerts,
                                 "nav-quality-alerts"))
