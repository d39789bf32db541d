"""The detail page's work forms through HTTP (Django test client): each posts to one service and
comes back to the page, with the refusal explained in the user's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from workkit import act, bring_to, register, root_cause

from complaintdesk.complaints.models import Attachment, Complaint, ContactAttempt, WorkOrder

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("table_only")]

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
       b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND"
       b"\xaeB`\x82")


def test_the_action_buttons_follow_the_state_and_the_role(org: Any, client: Any) -> None:
    complaint = register(org["agent"])
    client.force_login(org["specialist"])
    page = client.get(f"/complaints/{complaint.number}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="action-accept"' in page and 'data-testid="action-reject"' in page
    assert 'data-testid="action-resolve"' not in page
    client.force_login(org["agent"])  # the owner: agents accept too (decision 0010)
    page = client.get(f"/complaints/{complaint.number}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="action-accept"' in page and 'data-testid="action-withdraw"' in page
    client.force_login(org["legal"])
    page = client.get(f"/complaints/{complaint.number}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="action-accept"' not in page


def test_actions_through_the_page(org: Any, client: Any) -> None:
    complaint = register(org["agent"])
    client.force_login(org["specialist"])
    response = client.post(f"/complaints/{complaint.number}/act/accept/")
    assert response.status_code == 302 and response["Location"].endswith(f"/complaints/{complaint.number}/#actions")
    assert Complaint.objects.get(pk=complaint.pk).status == "accepted"
    client.post(f"/complaints/{complaint.number}/act/start/")
    response = client.post(f"/complaints/{complaint.number}/act/resolve/", {
        "note": "Fixed", "root_cause": "/".join(root_cause(org.policy)), "corrective_action": "Checklist"})
    fresh = Complaint.objects.get(pk=complaint.pk)
    assert fresh.status == "resolved" and fresh.root_cause == root_cause(org.policy)


def test_a_refused_action_is_explained_on_the_page_in_the_users_language(org: Any, client: Any) -> None:
    complaint = register(org["agent"])
    client.force_login(org["agent"])  # the owner may close, but not a registered complaint
    response = client.post(f"/complaints/{complaint.number}/act/close/", follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "cannot be closed" in response.content.decode()
    client.force_login(org["specialist"])
    response = client.post(f"/complaints/{complaint.number}/act/reject/", {"reason": ""}, follow=True,
                           HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "请选择判定无效投诉的原因" in response.content.decode()
    assert Complaint.objects.get(pk=complaint.pk).status == "registered"
    client.force_login(org["legal"])  # legal does not accept (decision 0010)
    assert client.post(f"/complaints/{complaint.number}/act/accept/").status_code == 403


def test_progress_with_proof_through_the_page_and_the_download(org: Any, client: Any) -> None:
    complaint = bring_to(org, register(org["agent"]), "in_progress")
    client.force_login(org["specialist"])
    response = client.post(f"/complaints/{complaint.number}/progress/", {
        "description_true": "yes", "verified": "Checked the logs", "done": "Called the SC",
        "next_step": "Call back tomorrow", "files": [SimpleUploadedFile("proof.png", PNG, "image/png")]})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.progress is not None and attachment.content_type == "image/png"
    download = client.get(f"/complaints/attachments/{attachment.pk}/")
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PNG
    client.force_login(org["handler"])  # no work order of the handler's department on it
    assert client.get(f"/complaints/attachments/{attachment.pk}/").status_code == 404
    client.force_login(org["specialist"])
    response = client.post(f"/complaints/{complaint.number}/progress/", {
        "done": "Fake", "next_step": "x", "files": [SimpleUploadedFile("fake.png", b"text", "image/png")]},
        follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "is not a JPEG, PNG, GIF, WebP image or a PDF" in response.content.decode()
    assert complaint.progress.count() == 1


def test_work_order_dispatch_reply_and_follow_up_through_the_pages(org: Any, client: Any) -> None:
    complaint = bring_to(org, register(org["agent"]), "in_progress")
    client.force_login(org["specialist"])
    client.post(f"/complaints/{complaint.number}/work-orders/", {"department": "service_centre",
                                                                 "request": "Check the repair"})
    order = WorkOrder.objects.get()
    response = client.post(f"/complaints/{complaint.number}/work-orders/", {"department": "nasa", "request": "x"},
                           follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "Unknown department nasa" in response.content.decode()
    client.force_login(org["handler"])
    response = client.post(f"/work-orders/{order.pk}/reply/", {"reply": "Done on site"}, follow=True,
                           HTTP_ACCEPT_LANGUAGE="en")
    assert f"Work order {order.number} answered." in response.content.decode()
    client.force_login(org["specialist"])
    client.post(f"/work-orders/{order.pk}/follow-up/", {"note": "Customer confirmed"})
    order.refresh_from_db()
    assert (order.status, order.reply, order.follow_up) == ("followed_up", "Done on site", "Customer confirmed")
    client.force_login(org["agent"])
    assert client.post(f"/work-orders/{order.pk}/reply/", {"reply": "x"}).status_code == 403


def test_contacts_and_the_unreachable_button_through_the_page(org: Any, client: Any) -> None:
    complaint = act(org["specialist"], register(org["agent"]), "accept")
    client.force_login(org["specialist"])
    client.post(f"/complaints/{complaint.number}/contacts/", {"outcome": "no_answer", "note": "Voicemail"})
    assert ContactAttempt.objects.get().outcome == "no_answer"
    page = client.get(f"/complaints/{complaint.number}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="unreachable-sms"' not in page  # phone_maker has no unreachable path
    response = client.post(f"/complaints/{complaint.number}/unreachable/", follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "no unreachable-customer path" in response.content.decode()
