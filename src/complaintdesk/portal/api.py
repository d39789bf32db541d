"""Staff downloads: the customer's letters as PDF and the files the customer attached."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema

from complaintdesk.complaints.schemas import ErrorOut
from complaintdesk.complaints.selectors.access import access_complaint
from complaintdesk.core.errors import NotFound
from complaintdesk.portal import letters, selectors
from complaintdesk.portal.uploads import file_response

router = Router(tags=["letters and attachments"])
ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class AttachmentOut(Schema):
    id: int
    name: str
    type: str
    size: int
    sha256: str
    source: str
    uploaded_at: str


@router.get("/complaints/{number}/letters/{kind}.pdf", response={200: None, **ERRORS},
            summary="The customer's letter as PDF (kind: acknowledgement or result)",
            openapi_extra={"responses": {200: {"description": "PDF", "content": {"application/pdf": {}}}}})
def letter(request: HttpRequest, number: str, kind: str) -> HttpResponse:
    complaint = access_complaint(request.user, number)
    response = HttpResponse(letters.letter_pdf(complaint, kind), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{letters.letter_filename(complaint, kind)}"'
    return response


@router.get("/complaints/{number}/attachments", response={200: list[AttachmentOut], **ERRORS},
            summary="Files the customer attached")
def attachment_list(request: HttpRequest, number: str) -> list[dict[str, Any]]:
    complaint = access_complaint(request.user, number)
    return [{"id": a.pk, "name": a.name, "type": a.content_type, "size": a.size, "sha256": a.sha256,
             "source": a.source, "uploaded_at": a.uploaded_at.isoformat()} for a in selectors.attachments_of(complaint)]


@router.get("/complaints/{number}/attachments/{attachment_id}", response={200: None, **ERRORS},
            summary="Download one attached file",
            openapi_extra={"responses": {200: {"description": "the file",
                                               "content": {"application/octet-stream": {}}}}})
def attachment_download(request: HttpRequest, number: str, attachment_id: int) -> FileResponse:
    complaint = access_complaint(request.user, number)
    attachment = selectors.attachment_of(complaint, attachment_id)
    if attachment is None:
        raise NotFound(_("Complaint %(number)s has no file %(id)s.") % {"number": number, "id": attachment_id})
    return file_response(attachment.path, attachment.name, attachment.content_type)
