from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "complaintdesk.complaints"
    label = "complaints"
    verbose_name = "Complaints"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from complaintdesk.accounts.roles import has_role
        from complaintdesk.complaints import panels, timeline
        from complaintdesk.complaints.selectors.supervision import SUPERVISORS, supervised_levels
        from complaintdesk.complaints.views import lifecycle, notices
        from complaintdesk.core import nav
        from complaintdesk.policy.schema import Role

        timeline.register()
        staff = [r for r in Role if r != Role.HANDLER]
        nav.register(nav.NavItem(20, _("My queue"), "complaint-queue-mine", lambda u: has_role(u, *staff),
                                 "nav-queue"))
        nav.register(nav.NavItem(30, _("Work orders"), "work-order-inbox",
                                 lambda u: has_role(u, Role.HANDLER, *SUPERVISORS), "nav-inbox"))
        nav.register(nav.NavItem(40, _("Supervision"), "supervision",
                                 lambda u: bool(supervised_levels(u)) or has_role(u, *SUPERVISORS), "nav-supervision"))
        nav.register(nav.NavItem(90, _("Notices"), "notices", lambda u: True, "nav-notices",
                                 badge=notices.unread_notices))
        panels.register(panels.Panel(10, "complaints/_work_panel.html", lifecycle.work_panel_context, "main"))
        panels.register(panels.Panel(10, "complaints/_clocks_panel.html", lifecycle.clocks_panel_context, "side"))
