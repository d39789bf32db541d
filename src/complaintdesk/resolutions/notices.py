"""The texts of the notices plans, approvals, petty cash and legal send to staff."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from complaintdesk.notify.notices import notice_register


def register() -> None:
    notice_register("approval_requested", subject=_("Approval requested"),
                    body=_("Complaint %(number)s: plan P%(plan)s (%(amount)s) waits for your approval as %(role)s."))
    notice_register("approval_delegated", subject=_("Approval requested (delegated)"),
                    body=_("Complaint %(number)s: plan P%(plan)s (%(amount)s) waits for approval by %(approver)s, "
                           "who is away and delegated to you."))
    notice_register("plan_approved", subject=_("Plan approved"),
                    body=_("Complaint %(number)s: plan P%(plan)s is approved."))
    notice_register("plan_rejected", subject=_("Plan rejected"),
                    body=_("Complaint %(number)s: plan P%(plan)s was rejected by %(by)s: %(comment)s"))
    notice_register("plan_refused", subject=_("Customer refused the plan"),
                    body=_("Complaint %(number)s: the customer refused plan P%(plan)s: “%(words)s”. A new plan is "
                           "needed."))
    notice_register("countersign_requested", subject=_("Petty-cash voucher to countersign"),
                    body=_("Complaint %(number)s: %(amount)s paid from petty cash by %(by)s (voucher %(voucher)s) "
                           "awaits your countersignature."))
    notice_register("legal_requested", subject=_("Legal consultation"),
                    body=_("Complaint %(number)s: a legal consultation was requested."))
    notice_register("legal_advice", subject=_("Legal advice"),
                    body=_("Complaint %(number)s: legal gave its advice."))
    notice_register("delegation", subject=_("Approvals delegated to you"),
                    body=_("%(from)s delegated their approvals to you from %(start)s until %(end)s: %(reason)s"))
