"""Acts that report up — reported to head office, violation reported to internal audit, the
major-complaint team's solution agreed — and complaint urgency: each recorded with its role, reason,
audit and timeline entry, and emitting the clock event the presets' clocks wait for (through the
services and through POST /actions/{name})."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from workkit import act, at, register

from complaintdesk.clocks.models import Clock
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.services.actions import allowed_actions
from complaintdesk.core.audit import seal_text
from complaintdesk.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from complaintdesk.core.models import AuditEvent
from orgkit import install_org

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("table_only")]

START = at("2026-03-03 10:00")  # a Tuesday


def clock(complaint: Complaint, code: str) -> Clock:
    return Clock.objects.get(complaint=complaint, code=code)


def fields(response: Any) -> dict[str, str]:
    return {item["field"]: item["message"] for item in response.json_body["fields"]}


def major_at_hypermarket(org: Any) -> Complaint:
    return register(org["specialist"], when=START, level="major", level_override_reason="Customer injured")


def test_reporting_a_major_complaint_to_head_office_stops_the_report_clock() -> None:
    org = install_org("hypermarket")
    complaint = major_at_hypermarket(org)
    assert clock(complaint, "major_report").status == "running"
    assert "report_to_hq" in allowed_actions(org["specialist"], complaint)
    act(org["specialist"], complaint, "report_to_hq", now=START + timedelta(minutes=40),
        reason="Phoned the store manager and faxed head-office operations")
    report = clock(complaint, "major_report")
    assert report.status == "stopped" and report.stopped_at == START + timedelta(minutes=40)
    event = AuditEvent.objects.get(action="complaint.report_to_hq", complaint_number=complaint.number)
    assert event.actor == org["specialist"]
    assert event.after == {"reason": seal_text("Phoned the store manager and faxed head-office operations"),
                           "event": "escalated_to_hq"}
    entry = complaint.timeline.get(kind="reported_to_hq")
    assert entry.data == {"reason": "Phoned the store manager and faxed head-office operations"}
    assert Complaint.objects.get(pk=complaint.pk).version == complaint.version + 1


def test_a_report_needs_its_reason_and_the_right_person() -> None:
    org = install_org("hypermarket")
    complaint = major_at_hypermarket(org)
    with pytest.raises(ValidationFailed) as refused:
        act(org["specialist"], complaint, "report_to_hq", reason="  ")
    assert [p.field for p in refused.value.problems] == ["reason"]
    # the level's supervisor (cs_head at the major level) may; a colleague who is neither may not
    with pytest.raises(PermissionDenied):
        act(org["agent"], complaint, "report_to_hq", reason="Told head office")
    assert "report_to_hq" not in allowed_actions(org["agent"], complaint)
    act(org["cs_head"], complaint, "report_to_hq", reason="Told head office")
    assert clock(complaint, "major_report").status == "stopped"
    assert not AuditEvent.objects.filter(action="complaint.report_to_hq", actor=org["agent"]).exists()


def test_reporting_a_violation_to_internal_audit_stops_the_three_day_clock() -> None:
    org = install_org("insurer")
    complaint = register(org["specialist"], when=START, channel="regulator_12378", case_origin="12378-2026-0001",
                         flags=["violation"], level="major")
    assert clock(complaint, "violation_report").status == "running"
    # a transfer with a violation goes to group audit: no one-working-day acceptance clock
    assert not complaint.clocks.filter(code="regulator_register").exists()
    plain = register(org["specialist"], when=START, channel="regulator_12378", case_origin="12378-2026-0002")
    assert clock(plain, "regulator_register").status == "running"
    assert not plain.clocks.filter(code="violation_report").exists()
    act(org["specialist"], complaint, "report_violation", now=START + timedelta(days=1),
        reason="Mis-selling by an agent, reported to group audit")
    assert clock(complaint, "violation_report").status == "stopped"
    assert complaint.timeline.filter(kind="violation_reported").count() == 1


def test_the_major_team_agrees_its_solution_once_and_its_two_hour_clock_stops() -> None:
    org = install_org("pc_maker")
    complaint = register(org["specialist"], when=START)
    assert "agree_major_solution" not in allowed_actions(org["quality"], complaint)
    with pytest.raises(InvalidTransition):
        act(org["specialist"], complaint, "agree_major_solution", reason="Replace the laptop")
    act(org["specialist"], complaint, "escalate", level="major", reason="Customer went to the press",
        now=START + timedelta(minutes=10))
    assert clock(complaint, "major_team_solution").status == "running"
    # a member of the major-complaint team (quality chairs it) records the agreed solution
    assert "agree_major_solution" in allowed_actions(org["quality"], Complaint.objects.get(pk=complaint.pk))
    act(org["quality"], complaint, "agree_major_solution", reason="Replace the laptop and refund the shipping",
        now=START + timedelta(hours=1))
    fresh = Complaint.objects.get(pk=complaint.pk)
    assert fresh.major_solved_at == START + timedelta(hours=1)
    assert clock(complaint, "major_team_solution").status == "stopped"
    with pytest.raises(InvalidTransition):
        act(org["quality"], complaint, "agree_major_solution", reason="Again")


def test_urgency_at_registration_starts_the_one_day_clock() -> None:
    org = install_org("pc_maker")
    urgent = register(org["specialist"], when=START, urgent=True, urgency_reason="Exam tomorrow")
    plain = register(org["specialist"], when=START)
    assert urgent.urgent and not plain.urgent
    running = clock(urgent, "urgent_solution")
    assert running.status == "running" and running.started_at == START
    assert not Clock.objects.filter(complaint=plain, code="urgent_solution").exists()
    assert urgent.timeline.get(kind="urgency_raised").data == {"reason": "Exam tomorrow"}
    assert AuditEvent.objects.get(action="complaint.register", complaint_number=urgent.number).after["urgent"]


def test_urgency_recorded_later_with_a_reason_starts_the_clock_then() -> None:
    org = install_org("pc_maker")
    complaint = register(org["specialist"], when=START)
    later = START + timedelta(hours=5)
    with pytest.raises(ValidationFailed) as refused:
        act(org["specialist"], complaint, "mark_urgent", reason="", now=later)
    assert [p.field for p in refused.value.problems] == ["reason"]
    act(org["specialist"], complaint, "mark_urgent", reason="The customer's business is down", now=later)
    assert Complaint.objects.get(pk=complaint.pk).urgent
    assert clock(complaint, "urgent_solution").started_at == later
    event = AuditEvent.objects.get(action="complaint.mark_urgent")
    assert event.before == {"urgent": False} and event.after["urgent"] is True
    with pytest.raises(InvalidTransition):
        act(org["specialist"], complaint, "mark_urgent", reason="Again", now=later)
    assert "mark_urgent" not in allowed_actions(org["specialist"], Complaint.objects.get(pk=complaint.pk))


def test_a_policy_without_such_clocks_offers_no_report_buttons(org: Any) -> None:
    complaint = register(org["specialist"], when=START)
    offered = allowed_actions(org["specialist"], complaint)
    assert not {"report_to_hq", "report_violation", "agree_major_solution", "mark_urgent"} & set(offered)


def test_report_to_head_office_through_the_api_in_both_languages(api: Any) -> None:
    org = install_org("hypermarket")  # the api fixture's users, under the hypermarket's policy
    complaint = major_at_hypermarket(org)
    client = api("specialist", "zh-hans")
    response = client.post(f"/complaints/{complaint.number}/actions/report_to_hq", {"reason": ""})
    assert response.status_code == 422, response.json_body
    assert fields(response)["reason"] == "说明向总部报告了什么、报告给了谁。"
    response = api("specialist").post(f"/complaints/{complaint.number}/actions/report_to_hq", {})
    assert fields(response)["reason"] == "Say what was reported to head office, and to whom."
    response = client.post(f"/complaints/{complaint.number}/actions/report_to_hq", {"reason": "已传真行销处"})
    assert response.status_code == 200, response.json_body
    assert "reported_to_hq" in [entry["kind"] for entry in response.json_body["timeline"]]
    assert "report_to_hq" in response.json_body["actions"]  # head office may be told again
    assert clock(complaint, "major_report").status == "stopped"
    response = api("agent").post(f"/complaints/{complaint.number}/actions/report_to_hq",
                                          {"reason": "x"})
    assert response.status_code == 403


def test_mark_urgent_through_the_api_registers_and_starts_the_clock(api: Any) -> None:
    org = install_org("pc_maker")
    client = api("specialist")
    complaint = register(org["specialist"], when=START)
    response = client.post(f"/complaints/{complaint.number}/actions/mark_urgent",
                           {"reason": "Customer's deadline is tomorrow"})
    assert response.status_code == 200, response.json_body
    assert clock(complaint, "urgent_solution").status == "running"
    assert response.json_body["urgent"] is True


@pytest.mark.parametrize(("language", "button", "label", "error"), [
    ("en", "Reported to head office", "What was reported to head office, and to whom",
     "Say what was reported to head office, and to whom."),
    ("zh-hans", "已报告总部", "向总部报告了什么、报告给了谁", "说明向总部报告了什么、报告给了谁。"),
])
def test_report_to_head_office_on_the_complaint_page(client: Any, language: str, button: str, label: str,
                                                     error: str) -> None:
    org = install_org("hypermarket")
    complaint = major_at_hypermarket(org)
    client.force_login(org["specialist"])
    detail = f"/complaints/{complaint.number}/"
    page = client.get(detail, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert 'data-testid="action-report_to_hq"' in page and button in page and label in page
    response = client.post(f"{detail}act/report_to_hq/", {"reason": ""}, HTTP_ACCEPT_LANGUAGE=language,
                           follow=True)
    assert error in response.content.decode()
    assert clock(complaint, "major_report").status == "running"
    response = client.post(f"{detail}act/report_to_hq/", {"reason": "已传真行销处"}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 302
    assert clock(complaint, "major_report").status == "stopped"
    page = client.get(detail, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    timeline = {"en": "Reported to head office: 已传真行销处", "zh-hans": "已报告总部：已传真行销处"}[language]
    assert timeline in page


def test_urgency_on_the_registration_page_and_the_urgent_badge(client: Any) -> None:
    from django.http import QueryDict

    from complaintdesk.complaints.forms import registration_from_post

    org = install_org("pc_maker")
    data = registration_from_post(QueryDict("urgent=on&urgency_reason=Exam+tomorrow"))
    assert data.urgent and data.urgency_reason == "Exam tomorrow"
    complaint = register(org["specialist"], when=START, urgent=True)
    client.force_login(org["specialist"])
    page = client.get(f"/complaints/{complaint.number}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-testid="urgent"' in page and "紧急投诉" in page
    register_page = client.get("/complaints/new/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="urgent"' in register_page and "Why it is urgent (optional)" in register_page


def test_an_enquiry_converted_into_a_complaint_stays_converted() -> None:
    """Insurer 一.1(1): "允许协同记入投诉，但不可逆" — the flag ``converted_enquiry`` is irreversible: an
    amendment may add flags beside it, never remove it; nothing of a refused amendment is written."""
    from django.utils import translation

    from complaintdesk.complaints.inputs import AmendmentInput
    from complaintdesk.complaints.services.amend import complaint_amend

    org = install_org("insurer")
    complaint = register(org["specialist"], when=START, flags=["converted_enquiry"])
    with pytest.raises(ValidationFailed) as refused, translation.override("en"):
        complaint_amend(actor=org["specialist"], number=complaint.number,
                        data=AmendmentInput(flags=[], comment="Wrongly converted"))
    (problem,) = refused.value.problems
    assert problem.field == "flags"
    assert str(problem.message) == ("“Enquiry converted into a complaint (irreversible)” cannot be removed once "
                                    "recorded.")
    with pytest.raises(ValidationFailed) as refused, translation.override("zh-hans"):
        complaint_amend(actor=org["specialist"], number=complaint.number, data=AmendmentInput(flags=["violation"]))
    assert "咨询件转投诉（不可逆）" in str(refused.value.problems[0].message)
    complaint.refresh_from_db()
    assert complaint.flags == ["converted_enquiry"]
    complaint_amend(actor=org["specialist"], number=complaint.number,
                    data=AmendmentInput(flags=["converted_enquiry", "violation"]))
    complaint.refresh_from_db()
    assert complaint.flags == ["converted_enquiry", "violation"]
