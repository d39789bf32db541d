"""The texts of the notices return visits, judgements and appeals send to staff."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from complaintdesk.notify.notices import notice_register


def register() -> None:
    notice_register("return_visit_due", subject=_("Return visit due"),
                    body=_("Complaint %(number)s is resolved: a return visit is due by %(due)s."))
    notice_register("return_visit_assigned", subject=_("Return visit assigned to you"),
                    body=_("Complaint %(number)s: make the return visit by %(due)s."))
    notice_register("return_visit_reopened", subject=_("Complaint reopened after the return visit"),
                    body=_("Complaint %(number)s was reopened for second handling. The customer said: %(words)s"))
    notice_register("return_visit_blocked", subject=_("Return visit done, complaint not closed"),
                    body=_("Complaint %(number)s: the return visit is done but the complaint could not be closed: "
                           "%(problems)s"))
    notice_register("close_confirmation", subject=_("Confirm the closing of a complaint"),
                    body=_("Complaint %(number)s is resolved and its return visit is done: confirm its closing."))
    notice_register("dealer_answered", subject=_("Dealer answered: visit the customer again"),
                    body=_("Complaint %(number)s: the dealer answered; make the return visit again by %(due)s."))
    notice_register("judged", subject=_("A complaint about you was judged"),
                    body=_("Complaint %(number)s was judged %(result)s. You may appeal until %(deadline)s."))
    notice_register("appeal_filed", subject=_("Appeal to review"),
                    body=_("%(name)s appealed against the judgement of complaint %(number)s."))
    notice_register("appeal_second_review", subject=_("Appeal: your opinion is needed"),
                    body=_("The review of the appeal on complaint %(number)s differs from the judgement; answer by "
                           "%(due)s."))
    notice_register("appeal_answered", subject=_("Appeal answered"),
                    body=_("The appeal on complaint %(number)s is answered: %(result)s."))
