"""Lifecycle actions and daily progress from the complaint page, and the detail page's work and
clock panels."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from complaintdesk.accounts.roles import OVERSEEING_ROLES, OWNING_ROLES, has_role
from complaintdesk.accounts.selectors import role_holders
from complaintdesk.clocks.selectors import clock_views
from complaintdesk.complaints import display
from complaintdesk.complaints.models import Complaint, ContactAttempt
from complaintdesk.complaints.selectors.routing import Proposal, proposed_work_order
from complaintdesk.complaints.services.actions import complaint_action
from complaintdesk.complaints.services.work import (
    ProgressInput,
    progress_add,
)
from complaintdesk.core.durations import duration_text
from complaintdesk.core.i18n import current_language as _lang
from complaintdesk.core.pages import complaint_page, run_service
from complaintdesk.core.policies import policy_of

# the success banner of each action of complaints.services.actions.ACTIONS (a test checks every one)
ACTION_DONE = {
    "accept": gettext_lazy("Complaint %(number)s accepted."),
    "start": gettext_lazy("Complaint %(number)s: handling started."),
    "resolve": gettext_lazy("Complaint %(number)s resolved."),
    "close": gettext_lazy("Complaint %(number)s closed."),
    "reject": gettext_lazy("Complaint %(number)s rejected as invalid."),
    "withdraw": gettext_lazy("Complaint %(number)s withdrawn."),
    "reopen": gettext_lazy("Complaint %(number)s reopened."),
    "escalate": gettext_lazy("Complaint %(number)s escalated."),
    "handover": gettext_lazy("Complaint %(number)s handed over."),
    "pause": gettext_lazy("Complaint %(number)s is waiting on the customer; its deadlines are paused."),
    "resume": gettext_lazy("Complaint %(number)s resumed; its deadlines run again."),
    "extend": gettext_lazy("The deadline of complaint %(number)s is extended."),
    "report_to_hq": gettext_lazy("Complaint %(number)s reported to head office."),
    "report_violation": gettext_lazy("The violation on complaint %(number)s is reported."),
    "agree_major_solution": gettext_lazy("The major-complaint team's solution for %(number)s is recorded."),
    "mark_urgent": gettext_lazy("Complaint %(number)s marked urgent."),
}


def action_done(name: str, number: str) -> str:
    """The success banner after the action ``name`` on the complaint ``number``."""
    return str(ACTION_DONE[name]) % {"number": number}


@login_required
@require_POST
def complaint_action_view(request: HttpRequest, number: str, name: str) -> HttpResponse:
    post = request.POST
    fields: dict[str, Any] = {key: post.get(key, "") for key in (
        "note", "reason", "to", "level", "condition", "clock", "by", "withdrawn_by", "corrective_action")}
    fields["root_cause"] = [c for c in post.get("root_cause", "").split("/") if c]
    return run_service(request, complaint_action, back=complaint_page(number, "actions"), number=number, name=name,
                       fields=fields, success=lambda complaint: action_done(name, complaint.number))


@login_required
@require_POST
def progress_add_view(request: HttpRequest, number: str) -> HttpResponse:
    post = request.POST
    truth = {"yes": True, "no": False}.get(post.get("description_true", ""))
    return run_service(request, progress_add, back=complaint_page(number, "progress"), number=number,
                       data=ProgressInput(day=post.get("day", ""), verified=post.get("verified", ""),
                                          description_true=truth, done=post.get("done", ""),
                                          next_step=post.get("next_step", ""),
                                          no_update_reason=post.get("no_update_reason", ""),
                                          files=request.FILES.getlist("files")),
                       success=_("Progress on %(number)s recorded.") % {"number": number})


# --- the detail page's work panels -------------------------------------------------------------


def work_panel_context(request: HttpRequest, complaint: Complaint) -> dict[str, Any]:
    policy = policy_of(complaint.policy_version)
    lang = _lang()
    work = display.work_details(complaint, request.user)
    colleagues = role_holders(*OWNING_ROLES, at=complaint).exclude(pk=complaint.owner_id).order_by("username")
    extendable = [(d.code, d.label.get(lang)) for d in policy.clocks
                  if d.extension is not None and has_role(request.user, d.extension.approver, at=complaint)]
    proposal = proposed_work_order(complaint)
    return {
        "complaint": complaint,
        "work": work,
        "actions": work["actions"],
        "reject_reasons": [(r.code, r.label.get(lang)) for r in policy.reject_reasons],
        "close_reasons": [(r.code, r.label.get(lang)) for r in policy.close_reasons],
        "levels": [(lv.code, lv.label.get(lang)) for lv in policy.levels_by_rank()],
        "departments": [(d.code, d.label.get(lang), duration_text(d.work_order_due)) for d in policy.departments],
        "colleagues": [(u.username, u.display_name()) for u in colleagues],
        "proposal": _proposal_view(complaint, policy, proposal, lang) if proposal else None,
        "extendable": extendable,
        "root_causes": _reason_paths(policy, lang),
        "outcomes": list(ContactAttempt.Outcome.choices),
        "is_owner": complaint.owner_id == request.user.pk or has_role(request.user, *OVERSEEING_ROLES, at=complaint),
        "unreachable": policy.unreachable is not None and policy.messages.unreachable_sms is not None,
        "today": timezone.now().astimezone(display_tz(policy)).date(),
    }


def _proposal_view(complaint: Complaint, policy: Any, proposal: Proposal, lang: str) -> dict[str, Any]:
    """The proposed work order as the dispatch form shows it: the department pre-selected, its due
    time, what named it, and a request the owner may edit before dispatching."""
    basis = {"root_cause": _("the root cause"), "reason": _("the reason"), "category": _("the category")}
    category = display.label_of(policy.categories, complaint.category)
    return {"department": proposal.department, "label": proposal.label.get(lang), "due_at": proposal.due_at,
            "basis": basis[proposal.basis],
            "request": _("Complaint %(number)s (%(category)s): please investigate the cause and answer with what "
                         "was done.") % {"number": complaint.number, "category": category}}


def _reason_paths(policy: Any, lang: str) -> list[tuple[str, str]]:
    """Every path of the reason taxonomy down to the root-cause level (or a leaf)."""
    out: list[tuple[str, str]] = []

    def walk(nodes: list[Any], prefix: tuple[Any, ...]) -> None:
        for node in nodes:
            path = (*prefix, node)
            if len(path) == policy.reasons.root_cause_depth or not node.children:
                out.append(("/".join(n.code for n in path), " › ".join(n.label.get(lang) for n in path)))
            else:
                walk(node.children, path)

    walk(policy.reasons.tree, ())
    return out


def display_tz(policy: Any) -> Any:
    return ZoneInfo(policy.timezone)


def clocks_panel_context(request: HttpRequest, complaint: Complaint) -> dict[str, Any]:
    return {"clocks": clock_views(complaint, language=_lang()), "complaint": complaint}
