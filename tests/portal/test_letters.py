"""The acceptance letter and the result notice as PDF: opened, their text extracted and checked, in
Chinese and English; downloaded by staff through the API and by the customer on the portal."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.test import Client
from pypdf import PdfReader

from complaintdesk.complaints.models import Complaint
from complaintdesk.portal.letters import letter_pdf


def text_of(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-")
    return "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def download(api: Any, path: str, role: str = "agent") -> Any:
    """A binary download through the API (the JSON helper would try to decode the PDF)."""
    client = api(role)
    return client.client.get(f"/api/v1{path}", **client.headers)


def register(api: Any, registration: Any, language: str) -> Complaint:
    data = registration()
    data["customer"] = {**data["customer"], "language": language, "first_name": "建国", "last_name": "王"}
    response = api("agent").post("/complaints", data)
    assert response.status_code == 201, response.json_body
    return Complaint.objects.get(number=response.json_body["number"])


def test_the_chinese_acceptance_letter_reads_correctly(api: Any, registration: Any) -> None:
    complaint = register(api, registration, "zh-hans")
    response = download(api, f"/complaints/{complaint.number}/letters/acknowledgement.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f'filename="{complaint.number}-acknowledgement.pdf"' in response["Content-Disposition"]
    text = text_of(response.content).replace("\n", "")
    assert "投诉受理函" in text and "尊敬的王建国" in text
    assert f"编号 {complaint.number}" in text and "我们将在" in text and "前答复您" in text


def test_the_english_acceptance_letter(api: Any, registration: Any) -> None:
    complaint = register(api, registration, "en")
    text = text_of(letter_pdf(complaint, "acknowledgement"))
    assert "Complaint acceptance letter" in text and f"Your complaint number is {complaint.number}" in text


def test_the_result_notice_exists_once_resolved(api: Any, registration: Any, org: Any) -> None:
    complaint = register(api, registration, "zh-hans")
    early = api("agent").get(f"/complaints/{complaint.number}/letters/result.pdf")
    assert early.status_code == 409 and "resolved" in early.json_body["message"]
    Complaint.objects.filter(pk=complaint.pk).update(status="resolved", outcome_note="已为您免费更换新机")
    response = download(api, f"/complaints/{complaint.number}/letters/result.pdf")
    assert response.status_code == 200
    text = text_of(response.content).replace("\n", "")
    assert "投诉处理结果告知书" in text and "已为您免费更换新机" in text and "感谢您的反馈" in text
    unknown = api("agent").get(f"/complaints/{complaint.number}/letters/invoice.pdf")
    assert unknown.status_code == 404


def test_a_result_typed_as_a_sentence_ends_the_result_notice_once(api: Any, registration: Any) -> None:
    for language, note, expected in (
            ("zh-hans", "已为您免费更换主板。", "已为您免费更换主板。感谢您的反馈"),
            ("en", "We replaced the mainboard.", "We replaced the mainboard. Thank you for your feedback")):
        complaint = register(api, registration, language)
        Complaint.objects.filter(pk=complaint.pk).update(status="resolved", outcome_note=note)
        text = " ".join(text_of(letter_pdf(Complaint.objects.get(pk=complaint.pk), "result")).split())
        assert expected in text.replace("主板。 感谢", "主板。感谢"), text
        assert "。。" not in text and ".." not in text


def test_letters_follow_the_complaint_access_rules(api: Any, registration: Any) -> None:
    complaint = register(api, registration, "en")
    assert api("handler").get(f"/complaints/{complaint.number}/letters/acknowledgement.pdf").status_code == 404
    assert Client().get(f"/api/v1/complaints/{complaint.number}/letters/acknowledgement.pdf").status_code == 401


def test_the_customer_downloads_the_letter_after_filing(org: Any) -> None:
    from portalkit import form

    client = Client()
    client.post("/portal/new/", form(), HTTP_ACCEPT_LANGUAGE="en")
    number = Complaint.objects.get().number
    response = client.get(f"/portal/c/{number}/letters/acknowledgement.pdf")
    assert response.status_code == 200 and number in text_of(response.content)
    assert client.get(f"/portal/c/{number}/letters/result.pdf").status_code == 409


def test_markup_typed_by_a_person_is_printed_as_text(api: Any, registration: Any) -> None:
    data = registration()
    data["customer"] = {**data["customer"], "language": "en", "first_name": "<b>Emily</b>", "last_name": "&amp;",
                        "title": ""}  # no title: the letter writes the whole name
    response = api("agent").post("/complaints", data)
    assert response.status_code == 201, response.json_body
    complaint = Complaint.objects.get(number=response.json_body["number"])
    assert "Dear <b>Emily</b> &amp;," in text_of(letter_pdf(complaint, "acknowledgement"))


def test_a_provisional_promise_is_marked_in_the_acceptance_letter(api: Any, registration: Any) -> None:
    """A promise counted into a year whose official holidays are not published yet (2027) says, in the
    letter too, that it may move; an official promise says nothing of the kind."""
    from datetime import UTC, datetime

    complaint = register(api, registration, "zh-hans")
    assert "节假日安排尚未公布" not in text_of(letter_pdf(complaint, "acknowledgement"))
    Complaint.objects.filter(pk=complaint.pk).update(received_at=datetime(2026, 12, 30, 2, 0, tzinfo=UTC),
                                                     reply_due_at=datetime(2027, 1, 5, 10, 0, tzinfo=UTC),
                                                     reply_due_provisional=True)
    complaint.refresh_from_db()
    zh = text_of(letter_pdf(complaint, "acknowledgement")).replace("\n", "")
    assert "2027年的国家法定节假日安排尚未公布，该时间可能随之调整。" in zh
    complaint.language = "en"
    en = " ".join(text_of(letter_pdf(complaint, "acknowledgement")).split())
    assert "The official holiday schedule for 2027 has not been published yet; this time may move when it is." in en


def test_a_family_name_without_a_title_is_greeted_politely(api: Any, registration: Any) -> None:
    """A customer who gave only a family name and no title is not greeted "尊敬的王：": both letters write
    "尊敬的王先生/女士：" in Chinese and "Dear Mr/Ms Wang," in English; a known title is used instead."""
    complaint = register(api, registration, "zh-hans")
    customer = complaint.customer
    customer.first_name, customer.title = "", ""
    customer.save(update_fields=["first_name", "title"])
    zh = text_of(letter_pdf(complaint, "acknowledgement")).replace("\n", "")
    assert "尊敬的王先生/女士：" in zh and "尊敬的王：" not in zh
    Complaint.objects.filter(pk=complaint.pk).update(status="resolved", outcome_note="已为您免费更换新机")
    complaint.refresh_from_db()
    assert "尊敬的王先生/女士：" in text_of(letter_pdf(complaint, "result")).replace("\n", "")
    customer = complaint.customer
    complaint.language = "en"
    customer.last_name = "Wang"
    assert "Dear Mr/Ms Wang," in text_of(letter_pdf(complaint, "acknowledgement"))
    customer.title = "ms"
    assert "Dear Ms. Wang," in text_of(letter_pdf(complaint, "acknowledgement"))
    complaint.language = "zh-hans"
    customer.last_name = "王"
    assert "尊敬的王女士：" in text_of(letter_pdf(complaint, "result")).replace("\n", "")
    customer.last_name = ""  # no name at all (a "why not" note instead): the customer, never "(name not given)"
    assert "尊敬的客户：" in text_of(letter_pdf(complaint, "result")).replace("\n", "")
    complaint.language = "en"
    assert "Dear customer," in text_of(letter_pdf(complaint, "acknowledgement"))
