"""The complaint events that start and stop clocks, each with the act that emits it.

A clock is only a rule if it can be met: ``policy check`` refuses a clock whose start, stop or
restart events no act of the system emits (``EMITTED_BY``), and a clock that only the complaint's
end (closed, rejected, withdrawn) can stop. ``tests/clocks/test_clock_events.py`` proves, for
every event listed here, that a service emits it.

Pure Python: no Django.
"""

from __future__ import annotations

from collections.abc import Iterator

from complaintdesk.policy.schema import Clock, ClockEvent

PathKey = tuple[str | int, ...]

# event → the act that emits it (the service that performs the act emits the event)
EMITTED_BY: dict[ClockEvent, str] = {
    ClockEvent.REGISTERED: "register a complaint (complaint_register)",
    ClockEvent.ACCEPTED: "accept the complaint (complaint_accept)",
    ClockEvent.STARTED: "start handling (complaint_start)",
    ClockEvent.ACKNOWLEDGED: "the acknowledgement reaches the customer (message_delivered)",
    ClockEvent.CUSTOMER_REPLIED: "record a reply to the customer (contact_record)",
    ClockEvent.RESOLVED: "resolve the complaint (complaint_resolve; dealer loop; return visit reopen)",
    ClockEvent.CLOSED: "close the complaint (complaint_close, return visit, unreachable close)",
    ClockEvent.REJECTED: "reject the complaint as invalid (complaint_reject)",
    ClockEvent.WITHDRAWN: "the customer withdraws (complaint_withdraw)",
    ClockEvent.REOPENED: "reopen (complaint_reopen, dissatisfied return visit, contact after close)",
    ClockEvent.INVESTIGATED: "record the investigation (contact_record, progress_add)",
    ClockEvent.PROGRESS_LOGGED: "log the daily progress entry (progress_add)",
    ClockEvent.WORK_ORDER_DISPATCHED: "dispatch a work order to a department (work_order_dispatch)",
    ClockEvent.WORK_ORDER_REPLIED: "the department answers the work order (work_order_reply)",
    ClockEvent.PLAN_SUBMITTED: "submit a handling plan (plan_submit)",
    ClockEvent.PLAN_APPROVED: "the plan is approved or authorised within limit (approval_decide, plan_submit)",
    ClockEvent.SOLUTION_PROPOSED: "propose the solution to the customer (plan_proposed)",
    ClockEvent.SOLUTION_IMPLEMENTED: "record the solution as implemented (plan_implemented)",
    ClockEvent.APPROVAL_REQUESTED: "an approval step is requested (plan_submit, the next step of a chain)",
    ClockEvent.APPROVAL_DECIDED: "an approver decides (approval_decide)",
    ClockEvent.MAJOR_OPENED: ("open the major-complaint team (complaint_escalate to a major level, "
                              "complaint_open_major from a breach action)"),
    ClockEvent.LEGAL_REQUESTED: "file a legal consultation (legal_request)",
    ClockEvent.LEGAL_PHONED: "consult legal by phone first (legal_request, phoned)",
    ClockEvent.LEGAL_FILED: "file the consultation form (legal_request, legal_file)",
    ClockEvent.LEGAL_REPORTED: "report the final outcome to legal (legal_report)",
    ClockEvent.PETTY_CASH_PAID: "pay from petty cash (petty_cash_pay)",
    ClockEvent.COUNTERSIGNED: "countersign the petty-cash voucher (petty_cash_countersign)",
    ClockEvent.UNREACHABLE_SMS_SENT: "send the unreachable-customer SMS (unreachable_sms)",
    ClockEvent.CUSTOMER_CONTACTED: "reach the customer (contact_record, reached)",
    ClockEvent.RETURN_VISIT_DONE: "record the return visit (return_visit_record)",
    ClockEvent.JUDGED: "judge the complaint about staff (judgement_record)",
    ClockEvent.APPEAL_FILED: "the judged staff member appeals (appeal_file)",
    ClockEvent.APPEAL_REVIEWED: "the reviewer decides the appeal (appeal_review)",
    ClockEvent.ESCALATED_TO_HQ: "report the complaint to head office (report-up act report_to_hq)",
    ClockEvent.VIOLATION_REPORTED: "report a violation to internal audit (report-up act report_violation)",
    ClockEvent.MAJOR_SOLVED: "the major-complaint team agrees the solution (report-up act agree_major_solution)",
    ClockEvent.URGENCY_RAISED: "mark the complaint urgent, at registration or later (report-up act mark_urgent)",
    ClockEvent.APPEAL_ANSWERED: "the appeal is answered finally (appeal_review, the second reviewers' answers)",
    ClockEvent.TRANSFERRED: "record a regulator's or another department's transfer (transfer_record)",
}

# events a complaint's end emits: a clock that only these stop is cancelled, not met
ENDINGS = frozenset({ClockEvent.CLOSED, ClockEvent.REJECTED, ClockEvent.WITHDRAWN})


def emitted(event: str) -> bool:
    return event in {known.value for known in EMITTED_BY}


def check_clock_events(clock: Clock, path: PathKey) -> Iterator[tuple[PathKey, str]]:
    """Problems that make ``clock`` impossible to start or to meet."""
    if not emitted(clock.starts):
        yield (*path, "starts"), _never("starts", clock.starts)
    for key in ("stops", "restarts_on"):
        for j, event in enumerate(getattr(clock, key)):
            if not emitted(event):
                yield (*path, key, j), _never(key, event)
    if clock.stops and all(event in ENDINGS for event in clock.stops) and clock.starts not in ENDINGS:
        yield (*path, "stops"), (
            "the clock can only be cancelled by the complaint's end, never met: name the act that meets it "
            f"(one of: {', '.join(sorted(e.value for e in EMITTED_BY if e not in ENDINGS))})"
        )


def _never(key: str, event: str) -> str:
    consequence = "never starts" if key == "starts" else "can never be met"
    return (
        f"no act of the system emits {ClockEvent(event).value!r}, so the clock {consequence}; "
        f"events that acts emit: {', '.join(sorted(e.value for e in EMITTED_BY))}"
    )
