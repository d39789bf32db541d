"""Notices to staff (in each person's own language), delivered as internal messages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from complaintdesk.notify.services import message_queue


def _text(kind: str, number: str, params: dict[str, Any]) -> tuple[str, str]:
    values = {"number": number, **params}
    if kind == "clock_warning":
        return _("Deadline warning"), _("Complaint %(number)s: “%(clock)s” is due at %(due)s.") % values
    if kind == "clock_breach":
        return _("Deadline missed"), _("Complaint %(number)s: “%(clock)s” was due at %(due)s and is overdue.") % values
    if kind == "escalated":
        return _("Complaint escalated"), _("Complaint %(number)s was escalated to %(level)s; you supervise this "
                                           "level.") % values
    if kind == "registered_at_level":
        return _("New complaint at your level"), _("Complaint %(number)s was registered at %(level)s; you supervise "
                                                   "this level.") % values
    if kind == "registered_suggested_level":
        return _("New complaint at your level"), _("Complaint %(number)s was registered at %(level)s; the policy "
                                                   "suggested %(suggested)s, which you supervise. Reason given: "
                                                   "%(reason)s") % values
    if kind == "major_opened":
        return _("Major-complaint team"), _("Complaint %(number)s: the major-complaint team is opened and you are "
                                            "a member.") % values
    if kind == "handover":
        return _("Complaint handed over to you"), _("You now own complaint %(number)s.") % values
    if kind == "work_order":
        return _("New work order"), _("Work order %(order)s for complaint %(number)s is due at %(due)s.") % values
    if kind == "work_order_reply":
        return _("Work order answered"), _("%(department)s answered work order %(order)s of complaint "
                                           "%(number)s.") % values
    if kind == "batch_alert":
        return _("Batch quality alert"), _("%(count)s complaints about %(model)s in “%(category)s” within %(days)s "
                                           "days (latest %(number)s): alert group %(group)s is open.") % values
    if kind == "customer_mail":
        return _("The customer wrote"), _("Complaint %(number)s: %(sender)s answered by e-mail.") % values
    if kind == "message_failed":
        return _("Message not delivered"), _("Complaint %(number)s: the message to %(recipient)s could not be "
                                             "delivered after %(attempts)s attempts (%(error)s). Reach the "
                                             "customer another way.") % values
    return kind, number


def notify_staff(*, users: Iterable[Any], complaint: Any, kind: str, **params: Any) -> int:
    """Queue an internal notice for each user. ``params`` values may be policy Texts (zh/en)."""
    count = 0
    for user in users:
        language = user.language
        localised = {key: (value.get(language) if hasattr(value, "get") and hasattr(value, "zh") else value)
                     for key, value in params.items()}
        with translation.override(language):
            subject, body = _text(kind, complaint.number, localised)
        message_queue(actor=None, kind=kind, channel="internal", recipient=user.username, body=str(body),
                      language=language, subject=str(subject), complaint=complaint, recipient_user=user)
        count += 1
    return count
