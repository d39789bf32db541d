"""Every shipped preset's letters: the acceptance letter and the result notice, for a Chinese and an
English customer, opened as PDF and read — the number, the customer's greeting and the promised time
are there, and nothing of the template's machinery (an unfilled {placeholder}, "None", a code) is."""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

import pytest
from pypdf import PdfReader
from workkit import registration_for

from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.complaints.services import complaint_register
from complaintdesk.policy.load import preset_names
from complaintdesk.portal.letters import letter_pdf
from orgkit import install_org

pytestmark = pytest.mark.django_db

CUSTOMERS = {
    "zh-hans": {"title": "mr", "first_name": "建国", "last_name": "王", "phone": "13812345678", "language": "zh-hans"},
    "en": {"title": "ms", "first_name": "Emily", "last_name": "Carter", "phone": "13912345678", "language": "en"},
}
GREETING = {"zh-hans": "尊敬的王建国先生：", "en": "Dear Ms. Carter,"}
RESULT = {"zh-hans": "已为您免费更换新机", "en": "We replaced the device free of charge"}


def _text(pdf: bytes, language: str) -> str:
    """The letter's text, its lines joined as the language joins words (Chinese without a space)."""
    assert pdf.startswith(b"%PDF-")
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    return text.replace("\n", "" if language == "zh-hans" else " ")


@pytest.mark.parametrize("preset", preset_names())
def test_every_presets_letters_read_correctly_in_both_languages(db: Any, preset: str) -> None:
    org = install_org(preset)
    for language, customer in CUSTOMERS.items():
        data = registration_for(org.policy, customer=customer)
        complaint = complaint_register(actor=org["agent"], data=ComplaintIn(**data).to_input())
        letter = _text(letter_pdf(complaint, "acknowledgement"), language)
        assert complaint.number in letter and GREETING[language] in letter, (preset, language, letter)
        Complaint.objects.filter(pk=complaint.pk).update(status="resolved", outcome_note=RESULT[language])
        complaint.refresh_from_db()
        # from the policy's template, or the product's own wording when the policy has none
        result = _text(letter_pdf(complaint, "result"), language)
        assert complaint.number in result and RESULT[language] in result, (preset, language, result)
        if org.policy.messages.result_notice is None:
            assert {"zh-hans": "我们的处理结果是：已为您免费更换新机。感谢您的反馈",
                    "en": "the result of our handling is: We replaced the device free of charge. Thank you"
                    }[language] in result
        for text in (letter, result):
            assert not re.search(r"\{\w+\}|\bNone\b|\b[a-z]+_[a-z_]+\b", text), (preset, language, text)
            if language == "en":  # an English customer's letter has no Chinese in it
                assert not re.search(r"[\u4e00-\u9fff]", text), (preset, text)
