from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaintdesk.complaints"
    label = "complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        # imported here, not at the top: these modules load models, which needs the app registry
        # that Django has filled only when it calls ready()

        from complaintdesk.accounts.roles import OVERSEEING_ROLES, has_role
        from complaintdesk.clocks.actions import SystemActions, system_actions_register
        from complaintdesk.complaints import clock_subjects, notices, panels, timeline
        from complaintdesk.complaints.selectors.supervision import supervised_levels
        from complaintdesk.complaints.services import actions, attributes, replies
        from complaintdesk.complaints.services import lifecycle as transitions
        from complaintdesk.complaints.services.common import timeline_add
        from complaintdesk.complaints.services.lifecycle import ACCEPTING_ROLES
        from complaintdesk.complaints.services.messages import message_delivered
        from complaintdesk.complaints.views import contacts, landing, lifecycle, queues, unit_transfer
        from complaintdesk.core import nav
        from complaintdesk.core.record import timeline_writer
        from complaintdesk.notify.services import delivery_hook
        from complaintdesk.policy.schema import Role

        timeline_writer(timeline_add)
        transitions.after("resolve")(replies.on_resolved)
        system_actions_register(SystemActions(
            escalate=attributes.complaint_escalate, reassign=attributes.complaint_handover,
            open_major=attributes.complaint_open_major, close=actions.complaint_close))
        clock_subjects.register()
        delivery_hook(message_delivered)
        timeline.register()
        notices.register()
        staff = [r for r in Role if r != Role.HANDLER]
        nav.register(nav.NavItem(15, _("New"), "complaint-queue-new",
                                 lambda u: has_role(u, Role.AGENT, *ACCEPTING_ROLES), "nav-new",
                                 badge=queues.new_count))
        nav.register(nav.NavItem(20, _("My queue"), "complaint-queue-mine", lambda u: has_role(u, *staff),
                                 "nav-queue"))
        nav.register(nav.NavItem(30, _("Work orders"), "work-order-inbox",
                                 lambda u: has_role(u, Role.HANDLER, *OVERSEEING_ROLES), "nav-inbox"))
        nav.register(nav.NavItem(40, _("Supervision"), "supervision",
                                 lambda u: bool(supervised_levels(u)) or has_role(u, *OVERSEEING_ROLES),
                                 "nav-supervision"))
        nav.register_landing(landing.landing_rule)
        panels.register(panels.Panel(10, "complaints/_work_panel.html", lifecycle.work_panel_context, "main"))
        panels.register(panels.Panel(10, "complaints/_clocks_panel.html", lifecycle.clocks_panel_context, "side"))
        panels.register(panels.Panel(5, "complaints/_messages_panel.html", contacts.messages_panel_context, "main"))
        panels.register(panels.Panel(40, "complaints/_unit_transfer_panel.html",
                                     unit_transfer.unit_transfer_panel_context, "side"))
