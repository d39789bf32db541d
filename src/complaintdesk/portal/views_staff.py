"""Staff side of the portal: the attachments panel on the complaint page and the file download,
both behind the complaint's access rules."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from complaintdesk.complaints.selectors.access import access_complaint
from complaintdesk.core.errors import DomainError
from complaintdesk.portal import letters, selectors
from complaintdesk.portal.uploads import file_response


def attachments_panel_context(request: HttpRequest, complaint: Any) -> dict[str, Any] | None:
    return {"complaint": complaint, "attachments": list(selectors.attachments_of(complaint)),
            "result_letter": letters.letter_available(complaint, "result")}


@login_required
@require_GET
def staff_attachment_view(request: HttpRequest, number: str, attachment_id: int) -> FileResponse:
    try:
        complaint = access_complaint(request.user, number)
    except DomainError as exc:
        raise Http404(number) from exc
    attachment = selectors.attachment_of(complaint, attachment_id)
    if attachment is None:
        raise Http404(str(attachment_id))
    return file_response(attachment.path, attachment.name, attachment.content_type)
