from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "complaintdesk.followup"
    label = "followup"
    verbose_name = _("Follow-up")

    def ready(self) -> None:
        # imported here, not at the top: these modules load models, which needs the app registry
        # that Django has filled only when it calls ready()

        from complaintdesk.complaints import panels
        from complaintdesk.complaints.services import lifecycle, work
        from complaintdesk.core import nav
        from complaintdesk.followup import notices, selectors, timeline
        from complaintdesk.followup.services import dealer, visits
        from complaintdesk.followup.views import judgements as judgement_pages
        from complaintdesk.followup.views import visits as visit_pages

        lifecycle.after("resolve")(visits.on_resolved)
        lifecycle.after("reopen")(visits.on_reopened)
        lifecycle.after("withdraw")(visits.on_reopened)
        lifecycle.guard("close")(visits.guard_close)
        if dealer.on_work_order_replied not in work.REPLY_HOOKS:
            work.REPLY_HOOKS.append(dealer.on_work_order_replied)
        timeline.register()
        notices.register()
        from complaintdesk.complaints.timeline import CLOSE_REASONS
        from complaintdesk.followup.models import ReturnVisit

        CLOSE_REASONS.update({result.value: result.label for result in ReturnVisit.Result})
        panels.register(panels.Panel(20, "followup/_visit_panel.html", visit_pages.visit_panel_context, "main"))
        panels.register(panels.Panel(25, "followup/_judgement_panel.html", judgement_pages.judgement_panel_context,
                                     "main"))
        panels.register_customer(panels.CustomerPanel(20, "followup/_customer_visits.html",
                                                      visit_pages.customer_visits_context))
        nav.register(nav.NavItem(25, _("Return visits"), "return-visit-queue", selectors.may_see_visits,
                                 "nav-return-visits", badge=selectors.my_open_visits))
        nav.register(nav.NavItem(60, _("My judgements"), "my-judgements", selectors.has_judgements,
                                 "nav-my-judgements"))
        nav.register(nav.NavItem(61, _("Appeals"), "appeal-inbox", selectors.may_review_appeals, "nav-appeals",
                                 badge=lambda user: len(selectors.appeals_waiting(user))))
