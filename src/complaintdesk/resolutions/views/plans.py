"""Staff pages for handling plans: the plan panel on the complaint page, the plan form with its
preview and precedents, and the actions on a plan."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaintdesk.accounts.roles import SUPERVISING_ROLES, has_role, roles_of
from complaintdesk.complaints.display import label_of, reason_labels
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.selectors.access import access_complaint
from complaintdesk.core.errors import NotFound, PermissionDenied, ValidationFailed
from complaintdesk.core.i18n import current_language as lang
from complaintdesk.core.pages import call_service, complaint_page, run_service
from complaintdesk.core.policies import policy_of
from complaintdesk.policy import rules
from complaintdesk.policy.schema import Policy
from complaintdesk.resolutions import display
from complaintdesk.resolutions.models import Approval, Plan
from complaintdesk.resolutions.selectors.delegations import acts_for
from complaintdesk.resolutions.selectors.plans import current_plan, may_read_budget, plans_of
from complaintdesk.resolutions.selectors.precedents import precedents
from complaintdesk.resolutions.services import (
    CostLineInput,
    PlanInput,
    plan_check,
    plan_customer_decision,
    plan_implemented,
    plan_proposed,
    plan_submit,
)
from complaintdesk.resolutions.services.common import money, role_label
from complaintdesk.resolutions.services.petty_cash import may_countersign
from complaintdesk.resolutions.services.plans import CUSTOMER_CHANNELS

FORM_LINES = 5


def channel_choices() -> list[tuple[str, str]]:
    labels = {"phone": _("Phone"), "in_person": _("In person"), "email": _("E-mail"), "letter": _("Letter"),
              "sms": _("SMS")}
    return [(code, str(labels[code])) for code in CUSTOMER_CHANNELS if code != "portal"]


def tier_choices(policy: Policy) -> list[dict[str, Any]]:
    out = []
    for tier in sorted(policy.solution_tiers, key=lambda t: t.rank):
        out.append({"code": tier.code, "label": tier.label.get(lang()),
                    "approver": display.tier_approvers(policy, tier) if tier.approver else "",
                    "condition": tier.condition.get(lang()) if tier.condition else "",
                    "description": tier.description.get(lang()) if tier.description else ""})
    return out


def matrix_rows(policy: Policy) -> list[dict[str, Any]]:
    if policy.approval is None:
        return []
    rows = []
    previous = None
    for limit in policy.approval.limits:
        rows.append({"from": previous, "up_to": limit.up_to, "role": role_label(policy, limit.role),
                     "currency": policy.approval.currency})
        previous = limit.up_to
    return rows


# --- the plan panel on the complaint page -------------------------------------------------------


def plan_panel_context(request: HttpRequest, complaint: Complaint) -> dict[str, Any] | None:
    policy = policy_of(complaint.policy_version)
    if not policy.solution_tiers and policy.approval is None and policy.petty_cash is None:
        return None
    user = request.user
    now = timezone.now()
    plans = plans_of(complaint)
    current = current_plan(complaint)
    is_owner = complaint.owner_id == user.pk or has_role(user, *SUPERVISING_ROLES, at=complaint)
    views = []
    for plan in plans:
        view = display.plan_view(plan, policy)
        view["is_current"] = current is not None and plan.pk == current.pk
        view["my_approvals"] = [a["id"] for a, obj in zip(view["approvals"], plan.approvals.all(), strict=True)
                                if obj.state == Approval.State.PENDING and plan.author_id != user.pk
                                and acts_for(user, obj.approver, now)]
        views.append(view)
    cash = policy.petty_cash
    payouts = [display.payout_view(p, policy) for p in complaint.petty_cash.select_related(
        "paid_by", "countersigned_by").all()]
    pay_limit = rules.petty_cash_limit_for(policy, roles_of(user, at=complaint)) if cash else None
    return {
        "complaint": complaint,
        "plans": views,
        "current": next((v for v in views if v["is_current"]), None),
        "is_owner": is_owner,
        "may_write": is_owner and complaint.is_open and complaint.status != Complaint.Status.RESOLVED,
        "channels": channel_choices(),
        "root_cause": reason_labels(policy, complaint.root_cause) if complaint.root_cause else [],
        "corrective_action": complaint.corrective_action,
        "petty_cash": cash is not None,
        "payouts": payouts,
        "pay_limit": money(pay_limit, policy.currency) if pay_limit is not None else "",
        "may_pay": pay_limit is not None and complaint.is_open,
        "may_countersign": cash is not None and may_countersign(user, cash.countersign_role.value, now, complaint),
        "cash_kinds": [(k.code, k.label.get(lang())) for k in policy.cost_kinds
                       if cash is not None and (not cash.kinds or k.code in cash.kinds)],
        "may_read_budget": may_read_budget(user) and policy.budget is not None,
        "user_id": user.pk,
    }


# --- the plan form -------------------------------------------------------------------------------


def plan_input(post: QueryDict) -> PlanInput:
    lines = []
    for index in range(int(post.get("line_count", FORM_LINES) or FORM_LINES)):
        lines.append(CostLineInput(kind=post.get(f"lines-{index}-kind", ""),
                                   amount=post.get(f"lines-{index}-amount", ""),
                                   currency=post.get(f"lines-{index}-currency", ""),
                                   description=post.get(f"lines-{index}-description", "")))
    reuse = post.get("reuse_of", "")
    return PlanInput(tier=post.get("tier", ""), what=post.get("what", ""), who=post.get("who", ""),
                     when=post.get("when", ""), where=post.get("where", ""), why=post.get("why", ""),
                     how=post.get("how", ""), lines=lines, emergency_reason=post.get("emergency_reason", ""),
                     reuse_of=int(reuse) if reuse.isdigit() else None)


def _form_values(data: PlanInput, policy: Policy) -> dict[str, Any]:
    default_currency = policy.approval.currency if policy.approval else policy.currency
    lines = [{"kind": line.kind, "amount": line.amount, "currency": line.currency or default_currency,
              "description": line.description} for line in data.lines]
    while len(lines) < FORM_LINES:
        lines.append({"kind": "", "amount": "", "currency": default_currency, "description": ""})
    return {"tier": data.tier, "what": data.what, "who": data.who, "when": data.when, "where": data.where,
            "why": data.why, "how": data.how, "lines": lines, "emergency_reason": data.emergency_reason,
            "reuse_of": data.reuse_of or ""}


def _reuse(user: Any, plan_id: str) -> PlanInput | None:
    if not plan_id.isdigit():
        return None
    plan = Plan.objects.select_related("complaint").filter(pk=int(plan_id)).first()
    if plan is None:
        return None
    try:
        access_complaint(user, plan.complaint.number)
    except (NotFound, PermissionDenied):
        return None
    return PlanInput(tier=plan.tier, what=plan.what, who=plan.who, when=plan.when, where=plan.where, why=plan.why,
                     how=plan.how, reuse_of=plan.pk,
                     lines=[CostLineInput(kind=line.kind, amount=str(line.amount), currency=line.currency,
                                          description=line.description) for line in plan.lines.all()])


def _complaint_for_form(request: HttpRequest, number: str) -> Complaint:
    try:
        complaint = access_complaint(request.user, number)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(str(exc.message)) from exc
    user = request.user
    if not (complaint.owner_id == user.pk or has_role(user, *SUPERVISING_ROLES, at=complaint)):
        raise DjangoPermissionDenied(_("Only the owner or a supervisor may do this."))
    return complaint


def _plan_sent(plan: Plan) -> str:
    if plan.state == Plan.State.AUTHORISED:
        return _("Plan P%(plan)s is authorised within your limit.") % {"plan": plan.sequence}
    return _("Plan P%(plan)s is sent for approval.") % {"plan": plan.sequence}


@login_required
def plan_form_view(request: HttpRequest, number: str) -> HttpResponse:
    complaint = _complaint_for_form(request, number)
    policy = policy_of(complaint.policy_version)
    errors: dict[str, str] = {}
    if request.method == "POST":
        data = plan_input(request.POST)
        try:
            outcome = call_service(request, plan_submit, reraise=(ValidationFailed,), success=_plan_sent,
                                   number=number, data=data)
        except ValidationFailed as exc:
            for problem in exc.problems:
                errors[problem.field] = f"{errors[problem.field]} {problem.message}" if problem.field in errors \
                    else str(problem.message)
        else:
            if outcome.ok:
                return redirect(complaint_page(number, "plan"))
    else:
        data = _reuse(request.user, request.GET.get("reuse", "")) or PlanInput()
    values = _form_values(data, policy)
    return render(request, "resolutions/plan_form.html", {
        "complaint": complaint, "c": complaint, "values": values, "errors": errors, "line_count": len(values["lines"]),
        "tiers": tier_choices(policy),
        "kinds": [(k.code, k.label.get(lang())) for k in policy.cost_kinds],
        "currencies": policy.currencies,
        "matrix": matrix_rows(policy),
        "category": label_of(policy.categories, complaint.category),
        "model": complaint.product.model if complaint.product else "",
        "preview": _preview_context(request.user, complaint, policy, data),
        "current": current_plan(complaint),
    })


# problems the live preview lists: the others show next to their own fields of the form
PREVIEW_FIELDS = ("tier", "emergency_reason", "route")


def _preview_context(user: Any, complaint: Complaint, policy: Policy, data: PlanInput) -> dict[str, Any]:
    preview = display.plan_preview(policy, plan_check(policy, complaint, user, data, timezone.now()))
    preview["problems"] = [p for p in preview["problems"]
                           if p["field"].startswith("lines") or p["field"] in PREVIEW_FIELDS]
    return preview


@login_required
@require_POST
def plan_preview_view(request: HttpRequest, number: str) -> HttpResponse:
    complaint = _complaint_for_form(request, number)
    policy = policy_of(complaint.policy_version)
    return render(request, "resolutions/_plan_preview.html",
                  {"preview": _preview_context(request.user, complaint, policy, plan_input(request.POST))})


@login_required
def precedents_view(request: HttpRequest, number: str) -> HttpResponse:
    complaint = _complaint_for_form(request, number)
    policy = policy_of(complaint.policy_version)
    q = request.GET.get("q", "")
    same_model = request.GET.get("any_model", "") != "on"
    found = precedents(request.user, complaint, policy, q=q, same_model=same_model, language=lang())
    return render(request, "resolutions/_precedents.html", {
        "precedents": [display.precedent_view(p, policy) for p in found], "complaint": complaint, "q": q,
        "same_model": same_model})


# --- actions on a plan ---------------------------------------------------------------------------


def _plan_number(plan_id: int) -> str:
    plan = Plan.objects.select_related("complaint").filter(pk=plan_id).first()
    if plan is None:
        raise Http404
    return plan.complaint.number


@login_required
@require_POST
def plan_decision_view(request: HttpRequest, plan_id: int) -> HttpResponse:
    post = request.POST
    decision = post.get("decision", "")
    success = _("The customer's acceptance is recorded.") if decision == "accepted" else \
        _("The customer's refusal is recorded; write a new plan.")
    return run_service(request, plan_customer_decision, back=complaint_page(_plan_number(plan_id), "plan"),
                       success=success, plan_id=plan_id, decision=decision, words=post.get("words", ""),
                       channel=post.get("channel", "phone"))


@login_required
@require_POST
def plan_proposed_view(request: HttpRequest, plan_id: int) -> HttpResponse:
    return run_service(request, plan_proposed, back=complaint_page(_plan_number(plan_id), "plan"), plan_id=plan_id,
                       note=request.POST.get("note", ""),
                       success=lambda plan: _("Plan P%(plan)s is recorded as proposed to the customer.")
                       % {"plan": plan.sequence})


@login_required
@require_POST
def plan_implemented_view(request: HttpRequest, plan_id: int) -> HttpResponse:
    return run_service(request, plan_implemented, back=complaint_page(_plan_number(plan_id), "plan"), plan_id=plan_id,
                       note=request.POST.get("note", ""),
                       success=lambda plan: _("Plan P%(plan)s is recorded as carried out.") % {"plan": plan.sequence})
