"""What the resolutions add to the complaint lifecycle (registered when the app is ready):

- ``resolve`` is refused while the current plan waits for approval, was rejected or refused by the
  customer, or — where the policy has an approval matrix and the complaint has a plan with costs —
  without an approved or authorised plan; under ``plan_required`` it needs a plan approved or
  authorised and then implemented;
- a withdrawn or rejected complaint cancels its open plans and their approvals;
- the clock engine learns a complaint's solution tiers and whether legal was consulted (a fact
  provider), so closing starts the outcome report to legal where legal was consulted, and clocks
  restricted to some tiers start on their events;
- obligations that outlive the complaint (a voucher to countersign, a legal form to file) keep their
  clocks when the complaint is closed, rejected or withdrawn (surviving subjects).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from complaintdesk.clocks import services as clocks
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.services.lifecycle import Transition, after, guard
from complaintdesk.core.errors import Problems
from complaintdesk.core.record import on_timeline, record_entry
from complaintdesk.policy.schema import Policy
from complaintdesk.resolutions.models import Plan
from complaintdesk.resolutions.selectors.plans import current_plan
from complaintdesk.resolutions.services.common import complaint_tiers, legal_consulted, role_label
from complaintdesk.resolutions.services.plans import LIVE, plan_end


def resolve_needs_a_cleared_plan(complaint: Complaint, policy: Policy, change: Transition, problems: Problems) -> None:
    plan = current_plan(complaint)
    if plan is None:
        if policy.plan_required:
            problems.add("plan", _("Under this policy a complaint is resolved only after its solution plan is "
                                   "approved and implemented: write the plan first."))
        elif policy.approval is not None and Plan.objects.filter(complaint=complaint, lines__isnull=False).exists():
            problems.add("plan", _("The complaint has costs: it is resolved only with an approved or authorised "
                                   "plan."))
        return
    if policy.plan_required and plan.cleared and plan.implemented_at is None:
        problems.add("plan", _("Plan P%(plan)s is %(state)s but not implemented yet: record its implementation "
                               "before resolving.") % {"plan": plan.sequence, "state": plan.get_state_display()})
    if plan.state == Plan.State.PENDING:
        waiting = plan.approvals.filter(state="pending").select_related("approver").first()
        who = (f"{waiting.approver.display_name()} ({role_label(policy, waiting.role)})" if waiting else "-")
        problems.add("plan", _("Plan P%(plan)s is still waiting for approval by %(who)s; the complaint cannot be "
                               "resolved yet.") % {"plan": plan.sequence, "who": who})
    elif plan.state == Plan.State.REJECTED:
        problems.add("plan", _("Plan P%(plan)s was rejected; write a new plan before resolving.")
                     % {"plan": plan.sequence})
    elif plan.state == Plan.State.REFUSED:
        problems.add("plan", _("The customer refused plan P%(plan)s; write a new plan before resolving.")
                     % {"plan": plan.sequence})


def cancel_open_plans(complaint: Complaint, policy: Policy, change: Transition) -> None:
    actor, now = change.actor, change.at
    for plan in Plan.objects.select_for_update().filter(complaint=complaint, state__in=LIVE,
                                                         implemented_at__isnull=True):
        plan_end(plan, state=Plan.State.CANCELLED, actor=actor, at=now, reason=f"complaint_{complaint.status}")
        record_entry(complaint, on_timeline("plan_cancelled", plan=plan.sequence), actor=actor, at=now)


def facts(complaint: Complaint) -> dict[str, Any]:
    """What the clocks must know of a complaint's resolution: its plans' solution tiers and whether
    legal was consulted (e.g. the outcome report to legal within 3 days of closing)."""
    return {"tiers": complaint_tiers(complaint), "legal": legal_consulted(complaint)}


def register() -> None:
    guard("resolve")(resolve_needs_a_cleared_plan)
    for action in ("withdraw", "reject"):
        after(action)(cancel_open_plans)
    if facts not in clocks.FACT_PROVIDERS:
        clocks.FACT_PROVIDERS.append(facts)
    # a voucher to countersign and a legal form to file outlive the complaint
    clocks.SURVIVING_SUBJECTS.update({"petty_cash", "legal"})
