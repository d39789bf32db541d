"""``full_name`` (000 1.1(1), "First & Last name (should write note if customer is unwilling to provide
first or last name)"): under the phone maker's policy a complaint records both names, a Chinese name
written whole, or a note saying why a name is missing; elsewhere a name or a note is enough."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from complaintdesk.complaints.inputs import CustomerInput
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.complaints.services import complaint_register
from complaintdesk.complaints.services.intake import clean_customer, whole_name
from complaintdesk.core.errors import Problems, ValidationFailed
from complaintdesk.policy.load import load_preset

PHONE = "13812345678"


def _name_problem(preset: str, **names: str) -> str | None:
    problems = Problems()
    clean_customer(load_preset(preset).policy, CustomerInput(phone=PHONE, **names), problems)
    return next((str(p.message) for p in problems.items if p.field == "customer.name_note"), None)


@pytest.mark.parametrize(("names", "refused"), [
    ({"first_name": "Emily", "last_name": "Carter"}, False),
    ({"last_name": "Carter"}, True),
    ({"first_name": "Emily"}, True),
    ({"last_name": "Carter", "name_note": "Would not give her first name"}, False),
    ({"last_name": "张伟"}, False),  # 姓名 written whole
    ({"first_name": "欧阳娜娜"}, False),
    ({"last_name": "王"}, True),  # the surname alone
    ({}, True),
    ({"name_note": "Refused to give a name"}, False),
])
def test_the_phone_maker_asks_for_both_names_or_a_note(names: dict[str, str], refused: bool) -> None:
    with translation.override("en"):
        problem = _name_problem("phone_maker", **names)
    if refused:
        assert (problem is not None and "first and last name" in problem) or (not names and problem is not None)
    else:
        assert problem is None


@pytest.mark.parametrize("preset", ["hypermarket", "insurer", "pc_maker", "community_hotline"])
def test_other_policies_take_a_surname_alone(preset: str) -> None:
    assert load_preset(preset).policy.full_name is False
    assert _name_problem(preset, last_name="王") is None
    with translation.override("en"):
        assert _name_problem(preset) == ("Record the customer's name, or a note saying why the customer will not "
                                         "give it.")


def test_whole_name_reads_names_as_they_are_written() -> None:
    assert whole_name("Emily", "Carter") and whole_name("", "张伟") and whole_name("司马相如", "")
    assert not whole_name("", "Carter") and not whole_name("", "王") and not whole_name("", "张 伟")
    assert not whole_name("", "")
    with translation.override("zh-hans"):
        assert _name_problem("phone_maker", last_name="Carter") == "请记录客户的名和姓，或写明客户为何不愿提供。"


def test_registration_refuses_one_name_without_a_note_and_writes_nothing(org: Any, registration: Any) -> None:
    data = registration(customer={"last_name": "Carter", "phone": PHONE, "language": "en"})
    with pytest.raises(ValidationFailed) as exc:  # in the agent's language (English)
        complaint_register(actor=org["agent"], data=ComplaintIn(**data).to_input())
    assert {p.field: str(p.message) for p in exc.value.problems} == {
        "customer.name_note": "Record the customer's first and last name, or a note saying why the customer will "
                              "not give both."}
    assert Complaint.objects.count() == 0
    noted = registration(customer={"last_name": "Carter", "name_note": "Would not give her first name",
                                   "phone": PHONE, "language": "en"})
    complaint = complaint_register(actor=org["agent"], data=ComplaintIn(**noted).to_input())
    assert complaint.customer.name_note == "Would not give her first name"
