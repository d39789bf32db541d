"""Attempts to reach the customer, the unreachable-customer SMS and customer messages sent again, from the
complaint page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaintdesk.accounts.roles import can
from complaintdesk.complaints.selectors.messages import mask_recipient, resendable_messages
from complaintdesk.complaints.services.messages import message_resend
from complaintdesk.complaints.services.work import (
    contact_record,
    unreachable_sms,
)
from complaintdesk.core.pages import complaint_page, run_service


@login_required
@require_POST
def contact_view(request: HttpRequest, number: str) -> HttpResponse:
    post = request.POST
    return run_service(request, contact_record, back=complaint_page(number, "contacts"), number=number,
                       outcome=post.get("outcome", ""), note=post.get("note", ""), at=post.get("at", ""),
                       success=_("Contact attempt recorded for %(number)s.") % {"number": number})


@login_required
@require_POST
def unreachable_view(request: HttpRequest, number: str) -> HttpResponse:
    return run_service(request, unreachable_sms, back=complaint_page(number, "contacts"), number=number,
                       success=_("The unreachable-customer SMS for %(number)s is on its way.") % {"number": number})


@login_required
@require_POST
def message_resend_view(request: HttpRequest, number: str, message_id: int) -> HttpResponse:
    return run_service(request, message_resend, back=complaint_page(number, "messages-in-doubt"), number=number,
                       message_id=message_id, success=_("The message is queued to be sent again."))


def messages_panel_context(request: HttpRequest, complaint: Any) -> dict[str, Any] | None:
    """The customer messages in doubt (uncertain or failed), each with its one-click resend."""
    messages = resendable_messages(complaint)
    if not messages:
        return None
    show = can(request.user, "message.resend", at=complaint)
    return {"number": complaint.number, "can_resend": show, "messages": [
        {"id": m.pk, "kind": m.kind, "channel": m.get_channel_display(), "status": m.status,
         "status_label": m.get_status_display(), "recipient": mask_recipient(m.recipient), "created_at": m.created_at}
        for m in messages]}
