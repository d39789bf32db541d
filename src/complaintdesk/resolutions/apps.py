from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResolutionsConfig(AppConfig):
    name = "complaintdesk.resolutions"
    label = "resolutions"
    verbose_name = _("Resolutions")

    def ready(self) -> None:
        # imported here, not at the top: these modules load models, which needs the app registry
        # that Django has filled only when it calls ready()

        from complaintdesk.complaints import panels
        from complaintdesk.core import nav
        from complaintdesk.resolutions import notices, timeline
        from complaintdesk.resolutions.selectors.plans import pending_count, shows_budget, shows_inbox
        from complaintdesk.resolutions.services import hooks
        from complaintdesk.resolutions.views import legal, plans

        hooks.register()
        timeline.register()
        notices.register()
        panels.register(panels.Panel(15, "resolutions/_plan_panel.html", plans.plan_panel_context, "main"))
        panels.register(panels.Panel(16, "resolutions/_legal_panel.html", legal.legal_context, "main"))
        nav.register(nav.NavItem(35, _("Approvals"), "approval-inbox", shows_inbox, "nav-approvals",
                                 badge=pending_count))
        nav.register(nav.NavItem(45, _("Budget"), "budget", shows_budget, "nav-budget"))
