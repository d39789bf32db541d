"""The texts of the notices the complaint lifecycle, its clocks and its work orders send to staff."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from complaintdesk.notify.notices import notice_register


def register() -> None:
    notice_register("clock_warning", subject=_("Deadline warning"),
                    body=_("Complaint %(number)s: “%(clock)s” is due at %(due)s."))
    notice_register("clock_breach", subject=_("Deadline missed"),
                    body=_("Complaint %(number)s: “%(clock)s” was due at %(due)s and is overdue."))
    notice_register("escalated", subject=_("Complaint escalated"),
                    body=_("Complaint %(number)s was escalated to %(level)s; you supervise this level."))
    notice_register("registered_at_level", subject=_("New complaint at your level"),
                    body=_("Complaint %(number)s was registered at %(level)s; you supervise this level."))
    notice_register("registered_suggested_level", subject=_("New complaint at your level"),
                    body=_("Complaint %(number)s was registered at %(level)s; the policy suggested %(suggested)s, "
                           "which you supervise. Reason given: %(reason)s"))
    notice_register("major_opened", subject=_("Major-complaint team"),
                    body=_("Complaint %(number)s: the major-complaint team is opened and you are a member."))
    notice_register("handover", subject=_("Complaint handed over to you"),
                    body=_("You now own complaint %(number)s."))
    notice_register("unit_transfer", subject=_("Complaint transferred to your unit"),
                    body=_("Complaint %(number)s was transferred from %(source)s to %(target)s: %(reason)s"))
    notice_register("work_order", subject=_("New work order"),
                    body=_("Work order %(order)s for complaint %(number)s is due at %(due)s."))
    notice_register("work_order_reply", subject=_("Work order answered"),
                    body=_("%(department)s answered work order %(order)s of complaint %(number)s."))
    notice_register("customer_mail", subject=_("The customer wrote"),
                    body=_("Complaint %(number)s: %(sender)s answered by e-mail."))
    notice_register("message_failed", subject=_("Message not delivered"),
                    body=_("Complaint %(number)s: the message to %(recipient)s could not be delivered after "
                           "%(attempts)s attempts (%(error)s). Reach the customer another way."))
    notice_register("message_uncertain", subject=_("Message perhaps not delivered"),
                    body=_("Complaint %(number)s: the worker stopped while it handed the message to "
                           "%(recipient)s over; it may or may not have arrived and is not sent again by "
                           "itself. Send it again from the complaint's page if the customer did not get it."))
