"""Filing a complaint on the portal: the same validation as staff, files checked by content, nothing
half-written, the acknowledgement page and message."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext as _
from portalkit import form, pdf, png

from complaintdesk.complaints.models import Complaint, TimelineEntry
from complaintdesk.notify.models import Message
from complaintdesk.portal.models import CustomerFile


def submit(client: Client, data: dict[str, Any], language: str = "en") -> Any:
    return client.post("/portal/new/", data, HTTP_ACCEPT_LANGUAGE=language)


def test_a_customer_files_a_complaint_with_files_and_sees_the_acknowledgement(org: Any, settings: Any) -> None:
    client = Client()
    response = submit(client, {**form(), "files": [png(), pdf()]})
    assert response.status_code == 302, response.content.decode()[:2000]
    complaint = Complaint.objects.get()
    assert response["Location"] == f"/portal/received/{complaint.number}/"
    assert complaint.channel == "web_form" and complaint.registered_by == org["agent"]
    assert complaint.owner == org["agent"] and complaint.product is not None
    assert complaint.product.imei == "490154203237518" and complaint.language == "en"
    files = list(CustomerFile.objects.filter(complaint=complaint))
    assert [(f.name, f.kind) for f in files] == [("photo.png", "png"), ("receipt.pdf", "pdf")]
    for stored in files:
        path = Path(settings.COMPLAINTDESK_ATTACHMENT_DIR) / stored.path
        assert path.exists() and "static" not in str(path)
    entry = TimelineEntry.objects.get(complaint=complaint, kind="registered")
    assert entry.actor is None and entry.data["door"] == "portal"
    ack = Message.objects.get(complaint=complaint, kind="acknowledgement")
    assert ack.channel == "sms" and ack.recipient == "+8613812345678"
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert complaint.number in page and "We reply by" in page and ack.body in page


def test_every_problem_is_named_next_to_its_field_and_nothing_is_written(org: Any, settings: Any) -> None:
    client = Client()
    bad = form(**{"customer.phone": "12", "reason": "", "facts.imei": "490154203237519", "consent": None,
                  "reason_codes": ""})
    fake = SimpleUploadedFile("virus.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    response = submit(client, {**bad, "files": [png(), fake]})
    assert response.status_code == 422
    page = response.content.decode()
    for field in ("customer.phone", "reason", "facts.imei", "consent", "reason_codes", "files"):
        assert f'data-field="{field}"' in page, field
    assert "virus.jpg is not a photo" in page
    assert Complaint.objects.count() == 0 and CustomerFile.objects.count() == 0
    assert not list(Path(settings.COMPLAINTDESK_ATTACHMENT_DIR).rglob("*.*"))


def test_errors_come_in_chinese_on_the_chinese_page(org: Any) -> None:
    client = Client()
    client.cookies["django_language"] = "zh-hans"
    response = submit(client, form(**{"customer.phone": "", "consent": None}), language="zh-hans")
    assert response.status_code == 422
    page = response.content.decode()
    assert "隐私" in page and "手机" in page


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_empty_form_speaks_to_the_customer_once_per_field(org: Any, language: str) -> None:
    """The registration's problems worded for staff ("record the customer's name …") are said to the
    customer, and the missing phone or e-mail is asked once, by the portal's own rule."""
    client = Client()
    client.cookies["django_language"] = language
    empty = form(**{"customer.last_name": "", "customer.first_name": "", "customer.phone": "", "reason": "",
                    "description": "", "customer_request": "", "reason_codes": ""})
    response = submit(client, empty, language=language)
    assert response.status_code == 422
    errors = {m["field"]: m["text"] for m in re.finditer(
        r'data-field="(?P<field>[^"]+)"[^>]*>(?P<text>[^<]*)<', response.content.decode())}
    with translation.override(language):
        assert errors["customer.last_name"] == _("Give your name.")
        assert errors["customer.phone"] == _("Give your mobile phone or your e-mail address: we send the "
                                             "acknowledgement and your tracking codes there.")
        assert errors["reason_codes"] == _("Choose what kind of problem it is.")
        assert errors["reason"] == _("Say in one sentence what is wrong.")
        assert errors["description"] == _("Tell us what happened.")
        assert errors["customer_request"] == _("Tell us what you would like us to do, and by when.")
    staff_wording = ("Record", "the customer", "level", "请记录", "客户", "案例", "级")
    assert not [text for text in errors.values() if any(word in text for word in staff_wording)], errors
    assert Complaint.objects.count() == 0


def test_an_optional_question_is_marked_in_the_pages_language(org: Any) -> None:
    client = Client()
    client.cookies["django_language"] = "zh-hans"
    page = client.get("/portal/new/?category=dealer", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "（选填）" in page and "(选填)" not in page
    english = Client().get("/portal/new/?category=dealer", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "(optional)" in english


def test_a_file_too_large_is_refused(org: Any, settings: Any) -> None:
    settings.COMPLAINTDESK_PORTAL = {**settings.COMPLAINTDESK_PORTAL, "upload_max_bytes": 1024}
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 4096, content_type="application/pdf")
    response = submit(Client(), {**form(), "files": [big]})
    assert response.status_code == 422 and "big.pdf is larger than" in response.content.decode()
    assert Complaint.objects.count() == 0


def test_complaint_text_is_escaped(org: Any) -> None:
    client = Client()
    response = submit(client, form(reason="<script>alert(1)</script>"))
    number = Complaint.objects.get().number
    from complaintdesk.portal.services import access_code_send

    access_code_send(complaint=Complaint.objects.get(), channel="sms", recipient="+8613812345678")
    page = client.get(f"/portal/c/{number}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert response.status_code == 302
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_submissions_are_rate_limited_per_address(org: Any, settings: Any) -> None:
    settings.COMPLAINTDESK_PORTAL = {**settings.COMPLAINTDESK_PORTAL, "limit_per_address": 2}
    client = Client()
    assert submit(client, form()).status_code == 302
    assert submit(client, form()).status_code == 302
    response = submit(client, form())
    assert response.status_code == 429 and "too many requests" in response.content.decode().lower()
    assert Complaint.objects.count() == 2


def test_the_category_page_lists_the_policy_categories(org: Any) -> None:
    page = Client().get("/portal/new/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "产品类投诉" in page and 'href="?category=product"' in page
    form_page = Client().get("/portal/new/?category=product", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="facts.fault_scenario"' in form_page and 'name="facts.imei"' in form_page


def test_staff_list_and_download_the_customers_files_and_a_lost_file_is_not_found(org: Any, api: Any,
                                                                                  settings: Any) -> None:
    submit(Client(), {**form(), "files": [png()]})
    complaint = Complaint.objects.get()
    listed = api("agent").get(f"/complaints/{complaint.number}/attachments")
    assert listed.status_code == 200
    [row] = listed.json_body
    assert row["name"] == "photo.png" and row["type"] == "image/png" and row["source"] == "submission"
    client = api("agent")
    download = client.client.get(f"/api/v1/complaints/{complaint.number}/attachments/{row['id']}", **client.headers)
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"\x89PNG")
    handler = api("handler")
    refused = handler.client.get(f"/api/v1/complaints/{complaint.number}/attachments/{row['id']}", **handler.headers)
    assert refused.status_code == 404  # invisible complaints are not confirmed to exist
    stored = CustomerFile.objects.get()
    (Path(settings.COMPLAINTDESK_ATTACHMENT_DIR) / stored.path).unlink()
    staff = Client()
    staff.force_login(org["agent"])
    assert staff.get(f"/complaints/{complaint.number}/files/{stored.pk}/").status_code == 404
    page = staff.get(f"/complaints/{complaint.number}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="attachments-panel"' in page and "photo.png" in page


def test_the_filing_page_of_a_unit_files_the_complaint_there(org: Any) -> None:
    from complaintdesk.units.services import unit_create

    unit_create(actor=None, code="store-1", kind="store", name_zh="一号店", name_en="Store 1")
    client = Client()
    choices = client.get("/portal/new/?unit=store-1", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="?unit=store-1&amp;category=product"' in choices
    response = client.post("/portal/new/?unit=store-1", form(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Complaint.objects.get().unit.code == "store-1"


def test_the_filing_page_of_an_unknown_unit_is_not_found(org: Any) -> None:
    assert Client().get("/portal/new/?unit=nowhere", HTTP_ACCEPT_LANGUAGE="en").status_code == 404


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_phone_maker_asks_the_customer_for_the_missing_name(org: Any, language: str) -> None:
    """000 1.1(1): first and last name (``full_name``); the portal says so under the name that is missing."""
    client = Client()
    client.cookies["django_language"] = language
    for given, missing in (({"customer.first_name": ""}, "customer.first_name"),
                           ({"customer.last_name": ""}, "customer.last_name")):
        response = submit(client, form(**given), language=language)
        assert response.status_code == 422
        errors = {m["field"]: m["text"] for m in re.finditer(
            r'data-field="(?P<field>[^"]+)"[^>]*>(?P<text>[^<]*)<', response.content.decode())}
        with translation.override(language):
            assert errors[missing] == _("Give your first and last name.")
    assert Complaint.objects.count() == 0
    assert submit(client, form(**{"customer.first_name": "", "customer.last_name": "张伟"}),
                  language=language).status_code == 302
