"""Judging complaints about staff and the staff member's appeal (community hotline, seed 002 六/七):
valid (major / service / business / service error) or invalid; business errors make the staff
member bear the compensation; appeal within 7 days; the supervisor reviews; if the review differs,
the department manager and the branch contact answer within 1 working day; the final result
replaces the judgement and the whole exchange stays on the record."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from followup_kit import SH, hotline_registration, resolve

from complaintdesk.clocks.models import Clock
from complaintdesk.complaints.display import timeline_text
from complaintdesk.core.errors import Conflict, PermissionDenied, ValidationFailed
from complaintdesk.core.models import AuditEvent
from complaintdesk.core.policies import policy_of
from complaintdesk.followup.models import Judgement
from complaintdesk.followup.selectors import judgement_statistics, judgement_view
from complaintdesk.followup.services import (
    JudgementInput,
    ResultInput,
    appeal_answer,
    appeal_file,
    appeal_review,
    judgement_record,
)
from complaintdesk.notify.models import Message
from orgkit import install_org

pytestmark = pytest.mark.django_db

JUDGED = datetime(2026, 11, 17, 15, 0, tzinfo=SH)  # a Tuesday


@pytest.fixture
def hotline(org: Any) -> Any:
    install_org("community_hotline")
    return resolve(org, hotline_registration())


def judge(org: Any, complaint: Any, *, category: str = "business", validity: str = "valid", fault: bool = True,
          compensation: str = "", now: datetime = JUDGED, by: str = "supervisor") -> Judgement:
    return judgement_record(actor=org[by], number=complaint.number, now=now, data=JudgementInput(
        validity=validity, category=category, company_at_fault=fault, staff="agent",
        note="Recording checked: wrong answer about the fee", compensation=compensation))


def problems(exc: Any) -> dict[str, str]:
    return {p.field: str(p.message) for p in exc.value.problems}


def test_a_business_error_counts_against_the_staff_member_who_bears_the_compensation(org: Any, hotline: Any) -> None:
    judgement = judge(org, hotline, compensation="30")
    assert judgement.validity == "valid" and judgement.category == "business" and judgement.company_at_fault
    assert judgement.staff == org["agent"]
    assert judgement.staff_pays and judgement.compensation == Decimal("30.00") and judgement.currency == "CNY"
    assert "由被投诉员工自己承担" in judgement.consequence["zh"]
    # 7 days: the day of the judgement does not count, the period ends at 24:00 of Tuesday 24 November
    assert judgement.appeal_deadline == datetime(2026, 11, 25, 0, 0, tzinfo=SH)
    assert hotline.timeline.filter(kind="judged").exists()
    assert AuditEvent.objects.filter(action="judgement.record").count() == 1
    assert Message.objects.filter(recipient_user=org["agent"], kind="judged").exists()
    rows = judgement_statistics()
    assert [(r["staff"], r["category"]["code"], r["count"]) for r in rows] == [("agent", "business", 1)]


def test_an_invalid_judgement_does_not_count(org: Any, hotline: Any) -> None:
    judge(org, hotline, category="harassment", validity="invalid", fault=False)
    assert judgement_statistics() == []


def test_the_statistics_count_per_staff_member_and_category(org: Any) -> None:
    install_org("community_hotline")
    for category in ("business", "service", "business"):
        judge(org, resolve(org, hotline_registration()), category=category)
    rows = {(r["staff"], r["category"]["code"]): r["count"] for r in judgement_statistics()}
    assert rows == {("agent", "business"): 2, ("agent", "service"): 1}
    assert judgement_statistics(since=JUDGED + timedelta(minutes=1)) == []


@pytest.mark.parametrize(("validity", "category"), [("valid", "rudeness"), ("valid", "harassment"),
                                                     ("invalid", "business"), ("maybe", "business")])
def test_a_category_the_policy_does_not_have_is_refused(org: Any, hotline: Any, validity: str,
                                                        category: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        judge(org, hotline, validity=validity, category=category)
    assert set(problems(exc)) & {"category", "validity"}
    assert not Judgement.objects.exists()


def test_the_validity_may_be_left_to_the_category(org: Any, hotline: Any) -> None:
    judgement = judgement_record(actor=org["supervisor"], number=hotline.number, now=JUDGED, data=JudgementInput(
        category="system_fault", company_at_fault=False, staff="agent"))
    assert judgement.validity == "invalid"


def test_every_problem_at_once_and_compensation_only_where_the_staff_pays(org: Any, hotline: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        judgement_record(actor=org["supervisor"], number=hotline.number, now=JUDGED, data=JudgementInput(
            validity="valid", category="service", company_at_fault=None, staff="nobody", compensation="30"))
    assert set(problems(exc)) == {"company_at_fault", "staff", "compensation"}
    with pytest.raises(ValidationFailed) as exc:
        judgement_record(actor=org["supervisor"], number=hotline.number, now=JUDGED, data=JudgementInput(
            validity="valid", category="business", company_at_fault=True, staff="supervisor"))
    assert "yourself" in problems(exc)["staff"]


def test_only_judges_judge_and_only_complaints_about_staff(org: Any, hotline: Any, resolved: Any) -> None:
    with pytest.raises(PermissionDenied):
        judge(org, hotline, by="agent")
    install_org("phone_maker")
    product = resolved()  # a product complaint is not about staff
    with pytest.raises(Conflict):
        judge(org, product)


def test_the_judged_staff_member_appeals_within_seven_days(org: Any, hotline: Any) -> None:
    judgement = judge(org, hotline)
    deadline = datetime(2026, 11, 25, 0, 0, tzinfo=SH)  # 24:00 of the seventh day after the judgement
    with pytest.raises(ValidationFailed) as exc:
        appeal_file(actor=org["agent"], judgement_id=judgement.pk, grounds="The fee table was wrong",
                    now=deadline)
    assert "appeal period ended" in problems(exc)["appeal_deadline"]
    assert "24:00" in problems(exc)["appeal_deadline"]
    # lodged at 23:00 on day 7 (later than the exact 7 × 24 hours, 15:00): accepted
    appeal_file(actor=org["agent"], judgement_id=judgement.pk, grounds="The fee table was wrong",
                now=datetime(2026, 11, 24, 23, 0, tzinfo=SH))
    judgement.refresh_from_db()
    assert judgement.appeal_state == "filed"
    assert Message.objects.filter(recipient_user=org["supervisor"], kind="appeal_filed").exists()
    with pytest.raises(Conflict):
        appeal_file(actor=org["agent"], judgement_id=judgement.pk, grounds="Again", now=deadline)


def test_only_the_judged_staff_member_may_appeal(org: Any, hotline: Any) -> None:
    judgement = judge(org, hotline)
    with pytest.raises(PermissionDenied) as exc:
        appeal_file(actor=org["specialist"], judgement_id=judgement.pk, grounds="On behalf", now=JUDGED)
    assert "appellant" in problems(exc)
    judgement.refresh_from_db()
    assert judgement.appeal_state == ""


def test_once_appealed_the_judgement_is_not_revised_by_the_judge(org: Any, hotline: Any) -> None:
    judgement = judge(org, hotline)
    judge(org, hotline, category="service")  # before an appeal the judge may revise
    judgement.refresh_from_db()
    assert judgement.category == "service" and judgement.version == 2
    appeal_file(actor=org["agent"], judgement_id=judgement.pk, grounds="Not my fault", now=JUDGED)
    with pytest.raises(Conflict):
        judge(org, hotline, category="business")


def test_the_supervisor_upholds_and_the_appeal_ends(org: Any, hotline: Any) -> None:
    judgement = judge(org, hotline)
    appeal_file(actor=org["agent"], judgement_id=judgement.pk, grounds="Not my fault", now=JUDGED)
    with pytest.raises(PermissionDenied):
        appeal_review(actor=org["cs_head"], judgement_id=judgement.pk, decision="upheld", now=JUDGED)
    appeal_review(actor=org["supervisor"], judgement_id=judgement.pk, decision="upheld", note="Recording is clear",
                  now=JUDGED + timedelta(hours=1))
    judgement.refresh_from_db()
    assert judgement.appeal_state == "answered" and judgement.category == "business"
    assert judgement.appeal.final["category"] == "business" and not judgement.appeal.changed
    # the second-review clock started and stopped at once
    clock = Clock.objects.get(complaint=hotline, code="appeal_second_review")
    assert clock.status == "stopped"


def test_a_differing_review_goes_to_the_manager_and_the_branch_contact_within_one_working_day(org: Any,
                                                                                             hotline: Any) -> None:
    judgement = judge(org, hotline)
    appeal_file(actor=org["agent"], judgement_id=judgement.pk, grounds="The knowledge base was wrong", now=JUDGED)
    friday = datetime(2026, 11, 20, 17, 0, tzinfo=SH)
    with pytest.raises(ValidationFailed) as exc:
        appeal_review(actor=org["supervisor"], judgement_id=judgement.pk, decision="changed", now=friday,
                      result=ResultInput(validity="invalid", category="knowledge_base_error", company_at_fault=True))
    assert "note" in problems(exc)
    appeal_review(actor=org["supervisor"], judgement_id=judgement.pk, decision="changed", now=friday,
                  note="The knowledge base gave the old fee",
                  result=ResultInput(validity="invalid", category="knowledge_base_error", company_at_fault=True))
    judgement.refresh_from_db()
    appeal = judgement.appeal
    assert judgement.appeal_state == "second_review"
    # Friday 17:00 + 1 working day = the end of Monday's working hours, the same as the policy's clock
    assert appeal.second_review_due_at == datetime(2026, 11, 23, 18, 0, tzinfo=SH)
    clock = Clock.objects.get(complaint=hotline, code="appeal_second_review")
    assert clock.due_at == appeal.second_review_due_at and clock.status == "running"
    assert Message.objects.filter(recipient_user=org["cs_head"], kind="appeal_second_review").exists()
    assert Message.objects.filter(recipient_user=org["handler"], kind="appeal_second_review").exists()
    # the judgement stands until the answers are in
    assert judgement.category == "business"


def test_second_review_over_national_day_counts_working_days(org: Any, hotline: Any) -> None:
    before_holiday = datetime(2026, 9, 30, 10, 0, tzinfo=SH)
    judgement = judge(org, hotline, now=before_holiday - timedelta(days=1))
    appeal_file(actor=org["agent"], judgement_id=judgement.pk, grounds="x", now=before_holiday)
    appeal_review(actor=org["supervisor"], judgement_id=judgement.pk, decision="changed", note="y",
                  now=before_holiday,
                  result=ResultInput(validity="valid", category="service_error", company_at_fault=True))
    judgement.refresh_from_db()
    # 1–7 October are the National Day holiday: the working day is Thursday 8 October, to 18:00
    assert judgement.appeal.second_review_due_at == datetime(2026, 10, 8, 18, 0, tzinfo=SH)


def _to_second_review(org: Any, complaint: Any) -> Judgement:
    judgement = judge(org, complaint, compensation="30")
    appeal_file(actor=org["agent"], judgement_id=judgement.pk, grounds="The knowledge base was wrong", now=JUDGED)
    appeal_review(actor=org["supervisor"], judgement_id=judgement.pk, decision="changed", note="KB outdated",
                  now=JUDGED + timedelta(hours=1),
                  result=ResultInput(validity="invalid", category="knowledge_base_error", company_at_fault=True))
    return judgement


def test_the_final_result_replaces_the_judgement_and_the_exchange_stays_on_record(org: Any, hotline: Any) -> None:
    judgement = _to_second_review(org, hotline)
    kb = ResultInput(validity="invalid", category="knowledge_base_error", company_at_fault=True)
    with pytest.raises(PermissionDenied):
        appeal_answer(actor=org["supervisor"], judgement_id=judgement.pk, decision="changed", result=kb,
                      now=JUDGED + timedelta(hours=2))
    appeal_answer(actor=org["cs_head"], judgement_id=judgement.pk, decision="changed", result=kb,
                  note="Agreed", now=JUDGED + timedelta(hours=2))
    judgement.refresh_from_db()
    assert judgement.appeal_state == "second_review" and judgement.category == "business"
    with pytest.raises(Conflict):
        appeal_answer(actor=org["cs_head"], judgement_id=judgement.pk, decision="upheld",
                      now=JUDGED + timedelta(hours=2))
    appeal_answer(actor=org["handler"], judgement_id=judgement.pk, decision="changed", result=kb,
                  note="The branch did not update the fee list", now=JUDGED + timedelta(hours=3))
    judgement.refresh_from_db()
    assert judgement.appeal_state == "answered"
    assert (judgement.validity, judgement.category) == ("invalid", "knowledge_base_error")
    assert not judgement.staff_pays and judgement.compensation is None and judgement.revised_at is not None
    appeal = judgement.appeal
    assert appeal.changed and appeal.original["category"] == "business" and appeal.original["compensation"] == "30.00"
    assert [a.role for a in appeal.answers.all()] == ["cs_head", "handler"]
    assert Clock.objects.get(complaint=hotline, code="appeal_second_review").status == "stopped"
    kinds = list(hotline.timeline.values_list("kind", flat=True))
    assert [k for k in kinds if k.startswith(("judged", "appeal"))] == [
        "judged", "appeal_filed", "appeal_reviewed", "appeal_answer", "appeal_answer", "appeal_answered"]
    # each second reviewer is named by the role's name, not its code
    answers = hotline.timeline.filter(kind="appeal_answer").order_by("id")
    texts = [timeline_text(entry, policy_of(hotline.policy_version)) for entry in answers]
    assert texts[0].startswith("Second review (") and "cs_head" not in texts[0] and "handler" not in texts[1]
    assert judgement_statistics() == []  # no longer counts against the agent
    view = judgement_view(judgement, org["agent"])
    assert view["appeal"]["final"]["category"]["code"] == "knowledge_base_error" and view["revised_at"]


def test_when_the_second_reviewers_differ_the_department_manager_decides(org: Any, hotline: Any) -> None:
    judgement = _to_second_review(org, hotline)
    appeal_answer(actor=org["handler"], judgement_id=judgement.pk, decision="changed", now=JUDGED + timedelta(hours=2),
                  result=ResultInput(validity="invalid", category="branch_error", company_at_fault=True))
    appeal_answer(actor=org["cs_head"], judgement_id=judgement.pk, decision="upheld", note="The agent should know",
                  now=JUDGED + timedelta(hours=3))
    judgement.refresh_from_db()
    assert judgement.appeal_state == "answered" and judgement.category == "business"
    assert not judgement.appeal.changed and judgement.staff_pays and judgement.compensation == Decimal("30.00")


def test_the_judged_member_of_staff_works_in_the_complaints_unit(org: Any, hotline: Any) -> None:
    """A complaint received by head office is not about a dealer's clerk, whom head office's people
    cannot see on the complaint's pages either (issue 15: units)."""
    from complaintdesk.accounts.services import user_create
    from complaintdesk.units.services import membership_set, unit_create
    from orgkit import PASSWORD

    unit_create(actor=None, code="dealer-x", name_zh="经销商X", name_en="Dealer X", kind="dealer")
    user_create(actor=None, username="clerk_x", password=PASSWORD, roles=[], first_name="Xia", last_name="Li")
    membership_set(actor=None, username="clerk_x", unit="dealer-x", roles=["agent"])
    with pytest.raises(ValidationFailed) as refused:
        judgement_record(actor=org["supervisor"], number=hotline.number, now=JUDGED, data=JudgementInput(
            validity="valid", category="business", company_at_fault=True, staff="clerk_x", note="checked"))
    assert "does not work in the unit" in problems(refused)["staff"]
    assert not Judgement.objects.exists()
