"""How the lifecycle, clock and work entries of the timeline read, in the viewer's language."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaintdesk.accounts.roles import role_label
from complaintdesk.complaints.display import TIMELINE_DESCRIBERS, label_of
from complaintdesk.complaints.models import ContactAttempt, TimelineEntry
from complaintdesk.complaints.services.lifecycle import ACCEPTED_REASON, CLOCK_REASON, HANDLED_BY_REASON
from complaintdesk.core.i18n import current_language as lang
from complaintdesk.core.i18n import listed
from complaintdesk.policy import rules
from complaintdesk.policy.schema import Policy

STATUS_TEXT = {
    "accept": gettext_lazy("Accepted."),
    "start": gettext_lazy("Handling started."),
    "resolve": gettext_lazy("Resolved. Result: %(note)s"),
    "close": gettext_lazy("Closed."),
    "reject": gettext_lazy("Rejected as invalid: %(reason)s."),
    "withdraw": gettext_lazy("Withdrawn by %(withdrawn_by)s."),
    "reopen": gettext_lazy("Reopened: %(note)s"),
}

# acts that report up, and urgency (complaints/services/report_up.py)
REPORT_TEXT = {
    "reported_to_hq": gettext_lazy("Reported to head office: %(reason)s"),
    "violation_reported": gettext_lazy("Violation reported to internal audit: %(reason)s"),
    "major_solved": gettext_lazy("The major-complaint team agreed its solution: %(reason)s"),
    "urgency_raised": gettext_lazy("Marked urgent: %(reason)s"),
}


# the reasons the system closes a complaint with, read by people (apps add theirs: follow-up's
# return-visit results); a policy's own codes are looked up in the policy
CLOSE_REASONS: dict[str, Any] = {
    "return_visit": gettext_lazy("after the return visit"),
}


def close_reason_label(code: str, policy: Policy) -> str:
    if code in CLOSE_REASONS:
        return str(CLOSE_REASONS[code])
    for items in (policy.close_reasons, policy.reject_reasons, policy.responsibility):
        label = label_of(items, code)
        if label != code:
            return label
    return code.replace("_", " ")


def moment_text(value: str, policy: Policy) -> str:
    """A moment an entry stored (ISO 8601), in the policy's time zone, written for the reader."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value).astimezone(ZoneInfo(policy.timezone))
    return rules.format_moment(moment, lang())


def _clock(policy: Policy, code: str) -> str:
    return label_of(policy.clocks, code)


def reason_text(reason: str, policy: Policy) -> str:
    """Why the system acted, in the reader's language ("clock:CODE": a deadline passed; the owner
    accepting the complaint); a reason a person wrote, as written."""
    if reason.startswith(CLOCK_REASON):
        return _("the deadline “%(clock)s” passed") % {"clock": _clock(policy, reason.removeprefix(CLOCK_REASON))}
    if reason == ACCEPTED_REASON:
        return _("accepted the complaint")
    if reason == HANDLED_BY_REASON and policy.handled_by is not None:
        return _("the policy gives every complaint to the %(role)s") % {"role": role_label(policy, policy.handled_by)}
    return reason


def describe(entry: TimelineEntry, policy: Policy) -> str:
    d: dict[str, Any] = entry.data
    kind = entry.kind
    if kind.startswith("status_"):
        action = kind.removeprefix("status_")
        text = str(STATUS_TEXT.get(action, action))
        if action == "reject":
            return _("Rejected as invalid: %(reason)s.") % {
                "reason": label_of(policy.reject_reasons, d.get("reason", ""))}
        if action == "close" and d.get("reason") == getattr(policy.unreachable, "close_reason", None):
            return _("Closed: the customer could not be reached after the SMS.")
        if action == "close" and d.get("reason"):
            return _("Closed (%(reason)s).") % {"reason": close_reason_label(str(d["reason"]), policy)}
        if "%(" in text:
            values = {"note": d.get("note", ""), "reason": d.get("reason", ""),
                      "withdrawn_by": d.get("withdrawn_by", "")}
            return text % values
        return text + (f" {d['note']}" if d.get("note") else "")
    if kind == "handover":
        return _("Ownership passed from %(from)s to %(to)s. Reason: %(reason)s") % {
            "from": d.get("from_user", ""), "to": d.get("to_user", ""),
            "reason": reason_text(d.get("reason", ""), policy)}
    if kind == "escalated":
        return _("Escalated from %(previous)s to %(level)s. Reason: %(reason)s") % {
            "previous": label_of(policy.levels, d.get("previous", "")),
            "level": label_of(policy.levels, d.get("level", "")),
            "reason": reason_text(d.get("reason", ""), policy)}
    if kind == "unit_transferred":
        return _("Transferred from %(from)s to %(to)s: %(reason)s") % {
            "from": _unit_name(d.get("from_unit")), "to": _unit_name(d.get("to_unit")), "reason": d.get("reason", "")}
    if kind == "major_opened":
        return _("Major-complaint team opened (%(members)s).") % {
            "members": listed(role_label(policy, member) for member in d.get("members", []))}
    if kind in REPORT_TEXT:
        return str(REPORT_TEXT[kind]) % {"reason": d.get("reason", "") or "-"}
    if kind == "paused":
        return _("Waiting on %(condition)s; %(clocks)s deadline(s) paused. %(note)s") % {
            "condition": _condition(d.get("condition", "")), "clocks": d.get("clocks", 0), "note": d.get("note", "")}
    if kind == "resumed":
        return _("No longer waiting on %(condition)s; %(clocks)s deadline(s) resumed.") % {
            "condition": _condition(d.get("condition", "")), "clocks": d.get("clocks", 0)}
    if kind == "clock_extended":
        return _("Deadline “%(clock)s” extended from %(old)s to %(new)s. Reason: %(reason)s") % {
            "clock": _clock(policy, d.get("clock", "")), "old": moment_text(d.get("old_due", ""), policy),
            "new": moment_text(d.get("new_due", ""), policy), "reason": d.get("reason", "")}
    if kind == "clock_recomputed":
        return _("Deadline “%(clock)s” recomputed on the official calendar: %(old)s → %(new)s.") % {
            "clock": _clock(policy, d.get("clock", "")), "old": moment_text(d.get("old_due", ""), policy),
            "new": moment_text(d.get("new_due", ""), policy)}
    if kind in {"clock_warning", "clock_breach"}:
        template = (_("Deadline “%(clock)s” due at %(due)s is near; %(actions)s")
                    if kind == "clock_warning" else _("Deadline “%(clock)s” due at %(due)s was missed; %(actions)s"))
        return template % {"clock": _clock(policy, d.get("clock", "")), "due": moment_text(d.get("due", ""), policy),
                           "actions": _actions(d.get("actions", []), policy)}
    if kind == "progress_missing":
        return _("No progress entry on %(day)s; %(actions)s") % {
            "day": d.get("day", ""), "actions": _actions(d.get("actions", []), policy)}
    if kind == "work_order_dispatched":
        return _("Work order %(order)s sent to %(department)s, due %(due)s: %(request)s") % {
            "order": d.get("order", ""), "department": label_of(policy.departments, d.get("department", "")),
            "due": moment_text(d.get("due", ""), policy), "request": d.get("request", "")}
    if kind == "work_order_replied":
        text = _("%(department)s answered work order %(order)s: %(reply)s") % {
            "department": label_of(policy.departments, d.get("department", "")), "order": d.get("order", ""),
            "reply": d.get("reply", "")}
        return text + (" " + _("(late)") if d.get("late") else "")
    if kind == "work_order_followed_up":
        return _("Follow-up on work order %(order)s: %(note)s") % {"order": d.get("order", ""),
                                                                   "note": d.get("note", "")}
    if kind == "progress":
        if d.get("no_update_reason") and not (d.get("done") or d.get("verified")):
            return _("%(day)s — no update: %(reason)s") % {"day": d.get("day", ""), "reason": d.get("no_update_reason")}
        parts = [f"{d.get('day', '')}"]
        if d.get("description_true") is True:
            parts.append(_("Description verified as true."))
        elif d.get("description_true") is False:
            parts.append(_("Description not true."))
        if d.get("verified"):
            parts.append(_("Verified: %(text)s") % {"text": d["verified"]})
        if d.get("done"):
            parts.append(_("Done: %(text)s") % {"text": d["done"]})
        if d.get("next_step"):
            parts.append(_("Next: %(text)s") % {"text": d["next_step"]})
        if d.get("files"):
            parts.append(_("Proof: %(files)s") % {"files": ", ".join(d["files"])})
        return " ".join(str(p) for p in parts)
    if kind == "contact":
        return _("Contact attempt (%(purpose)s): %(outcome)s. %(note)s") % {
            "purpose": _purpose(d.get("purpose", "")), "outcome": _outcome(d.get("outcome", "")),
            "note": d.get("note", "")}
    if kind == "unreachable_sms":
        return _("Customer unreachable: SMS sent; the complaint closes after %(after)s without contact. “%(text)s”") % {
            "after": d.get("close_after", ""), "text": d.get("text", "")}
    return kind.replace("_", " ")


def _unit_name(unit: Any) -> str:
    """A unit as the entry stored it (code and both names), in the reader's language."""
    if not isinstance(unit, dict):
        return ""
    return str(unit.get("zh" if lang().startswith("zh") else "en") or unit.get("code", ""))


def _condition(code: str) -> str:
    return {"waiting_on_customer": _("the customer"), "external_appraisal": _("an external appraisal")}.get(code, code)


def _purpose(code: str) -> str:
    return {"handling": _("handling"), "return_visit": _("return visit")}.get(code, code)


def _outcome(code: str) -> str:
    try:
        return str(ContactAttempt.Outcome(code).label)
    except ValueError:
        return code


def _actions(actions: list[dict[str, Any]], policy: Policy) -> str:
    parts = []
    for action in actions:
        if action.get("do") == "notify":
            # the names of the people notified (entries written before names were kept: their usernames)
            who = action.get("names") or action.get("to", [])
            parts.append(_("notified %(who)s") % {"who": listed(who) or "-"})
        elif action.get("do") == "raise_level":
            parts.append(_("level raised to %(level)s") % {"level": label_of(policy.levels, action.get("level", ""))})
        elif action.get("do") == "reassign":
            parts.append(_("reassigned to %(user)s") % {"user": action.get("name") or action.get("to", "")})
        elif action.get("do") == "open_major_team":
            parts.append(_("major-complaint team opened"))
        elif action.get("do") == "close":
            parts.append(_("closed"))
        elif action.get("do") == "refused":
            parts.append(_("refused: %(problems)s") % {"problems": " ".join(action.get("problems", []))})
    return "; ".join(parts) or _("no action")


KINDS = ["handover", "escalated", "major_opened", "paused", "resumed", "clock_extended", "clock_recomputed",
         "clock_warning",
         "clock_breach", "progress_missing", "work_order_dispatched", "work_order_replied", "work_order_followed_up",
         "progress", "contact", "unreachable_sms", "unit_transferred", *(f"status_{a}" for a in STATUS_TEXT),
         *REPORT_TEXT]


def register() -> None:
    for kind in KINDS:
        TIMELINE_DESCRIBERS[kind] = describe
