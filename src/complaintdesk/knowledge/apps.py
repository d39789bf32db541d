from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class KnowledgeConfig(AppConfig):
    name = "complaintdesk.knowledge"
    label = "knowledge"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
        # imported here, not at the top: these modules load models, which needs the app registry
        # that Django has filled only when it calls ready()
        from django.utils.translation import gettext_lazy as _

        from complaintdesk.complaints import display, panels
        from complaintdesk.complaints.services import lifecycle
        from complaintdesk.core import nav
        from complaintdesk.knowledge import selectors, services, timeline, views

        lifecycle.guard("close")(services.guard_close)
        timeline.register()
        display.MESSAGE_KINDS["article_answer"] = _("answer from the knowledge base")
        panels.register(panels.Panel(8, "knowledge/_answer_panel.html", views.answer_panel_context, "main"))
        nav.register(nav.NavItem(50, pgettext_lazy("menu", "Knowledge"), "knowledge-list", selectors.may_read,
                                 "nav-knowledge"))
