"""Complaints transferred by a regulator or another department: the reference, who sent it, and the
transferring body's own deadline as a clock that the sweep watches and the resolution stops."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from workkit import registration_for

from complaintdesk.clocks.models import Clock
from complaintdesk.complaints.models import Complaint, TimelineEntry
from complaintdesk.policy.load import load_preset, preset_names
from complaintdesk.transfers.models import Transfer
from orgkit import install_org

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def insurer(org: Any) -> Any:
    """The insurer's policy in force (installed after the phone maker's that the api fixture uses)."""
    return install_org("insurer")


def transferred(insurer: Any, **transfer: Any) -> dict[str, Any]:
    complaint = registration_for(insurer.policy)
    complaint["channel"] = "regulator_12378"
    complaint["case_origin"] = ""
    return {"complaint": complaint,
            "transfer": {"body": "12378", "reference": "BJ-2026-0815", **transfer}}


def test_a_12378_transfer_is_registered_with_its_deadline_as_a_clock(insurer: Any, api: Any) -> None:
    deadline = (datetime.now(tz=SHANGHAI) + timedelta(days=6)).date()
    response = api("agent").post("/transfers", transferred(insurer, deadline=deadline.isoformat()))
    assert response.status_code == 201, response.json_body
    body = response.json_body
    assert body["source"] == "regulator" and body["reference"] == "BJ-2026-0815"
    assert body["deadline"].startswith(f"{deadline.isoformat()}T23:59")
    complaint = Complaint.objects.get(number=body["number"])
    assert complaint.case_origin == "12378 BJ-2026-0815"
    clock = Clock.objects.get(complaint=complaint, code="regulator_deadline")
    assert clock.due_at == datetime.combine(deadline, datetime.min.time().replace(hour=23, minute=59), SHANGHAI)
    assert clock.warn_at == clock.due_at - timedelta(days=2) and clock.next_fire_at == clock.warn_at
    assert body["clocks"] == [{"code": "regulator_deadline", "status": "running",
                               "due_at": clock.due_at.astimezone(SHANGHAI).isoformat()}]
    entry = TimelineEntry.objects.get(complaint=complaint, kind="transferred")
    assert entry.data["reference"] == "BJ-2026-0815"
    detail = api("agent").get(f"/complaints/{complaint.number}")
    assert "Transferred by 12378, reference BJ-2026-0815." in str(detail.json_body)
    # the transferring body's deadline as the reader writes moments, whatever the customer's language
    assert f"Their deadline: {deadline.isoformat()} 23:59." in str(detail.json_body)
    chinese = api("agent", language="zh-hans").get(f"/complaints/{complaint.number}")
    assert f"对方办结时限：{deadline.year}年{deadline.month}月{deadline.day}日 23:59。" in str(chinese.json_body)
    assert api("agent").get(f"/complaints/{complaint.number}/transfer").json_body["body"] == "12378"


def test_without_a_deadline_the_policy_duration_applies_and_resolution_stops_it(insurer: Any, api: Any,
                                                                                table_only: None) -> None:
    from workkit import bring_to

    response = api("specialist").post("/transfers", transferred(insurer))
    assert response.status_code == 201, response.json_body
    complaint = Complaint.objects.get(number=response.json_body["number"])
    clock = Clock.objects.get(complaint=complaint, code="regulator_deadline")
    from complaintdesk.core.calendars import add_duration

    duration = insurer.policy.clock("regulator_deadline").duration
    assert clock.due_at == add_duration(insurer.policy, clock.started_at, duration).due_at
    bring_to(insurer, complaint, "resolved")
    clock.refresh_from_db()
    assert clock.status == Clock.Status.STOPPED


def test_every_problem_of_the_complaint_and_the_transfer_is_reported_and_nothing_written(insurer: Any,
                                                                                          api: Any) -> None:
    data = transferred(insurer, reference="", deadline="2020-01-01")
    data["complaint"]["description"] = ""
    response = api("agent").post("/transfers", data)
    assert response.status_code == 422
    fields = {f["field"] for f in response.json_body["fields"]}
    assert {"description", "transfer.reference", "transfer.deadline"} <= fields
    assert Complaint.objects.count() == 0 and Transfer.objects.count() == 0
    zh = api("agent", language="zh-hans").post("/transfers", data)
    assert "转办编号" in str(zh.json_body)


def test_a_transfer_needs_a_regulator_or_internal_door(insurer: Any, api: Any) -> None:
    data = transferred(insurer)
    data["complaint"]["channel"] = "hotline"
    response = api("agent").post("/transfers", data)
    assert response.status_code == 422
    assert any(f["field"] == "channel" for f in response.json_body["fields"])


def test_the_transfer_of_a_registered_complaint_is_recorded_once_on_its_page(insurer: Any, client: Any) -> None:
    from workkit import register

    complaint = register(insurer["agent"], channel="regulator_12378", case_origin="12378 SH-1")
    client.force_login(insurer["agent"])
    page = client.get(f"/complaints/{complaint.number}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="transfer-form"' in page
    response = client.post(f"/complaints/{complaint.number}/transfer/",
                           {"body": "12378", "reference": "SH-1", "deadline": ""})
    assert response.status_code == 302
    assert Transfer.objects.get(complaint=complaint).reference == "SH-1"
    again = client.post(f"/complaints/{complaint.number}/transfer/", {"body": "12378", "reference": "SH-2"},
                        follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "already recorded" in again.content.decode()
    page = client.get(f"/complaints/{complaint.number}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="transfer-reference">SH-1<' in page


def test_a_department_handler_may_not_record_a_transfer(insurer: Any, api: Any) -> None:
    from workkit import register

    from complaintdesk.complaints.services.work import work_order_dispatch

    complaint = register(insurer["agent"], channel="regulator_12378", case_origin="12378 SH-1")
    response = api("handler").post(f"/complaints/{complaint.number}/transfer", {"body": "12378", "reference": "X"})
    assert response.status_code == 404  # no work order of the department: the complaint is not the handler's to see
    from complaintdesk.accounts.models import Department

    department = Department.objects.get(code=insurer.policy.departments[0].code)
    type(insurer["handler"]).objects.filter(pk=insurer["handler"].pk).update(department=department)
    work_order_dispatch(actor=insurer["supervisor"], number=complaint.number, department=department.code,
                        request="Check the policy file")
    response = api("handler").post(f"/complaints/{complaint.number}/transfer", {"body": "12378", "reference": "X"})
    assert response.status_code == 403  # seen through the work order, but a handler records no transfer


def test_the_sweep_warns_and_breaches_at_the_regulators_deadline(insurer: Any, api: Any) -> None:
    from complaintdesk.clocks.models import ClockFiring
    from complaintdesk.clocks.sweep import sweep
    from complaintdesk.notify.models import Message

    deadline = datetime.now(tz=SHANGHAI) + timedelta(days=4)
    response = api("agent").post("/transfers", transferred(insurer, deadline=deadline.strftime("%Y-%m-%d %H:%M")))
    assert response.status_code == 201, response.json_body
    clock = Clock.objects.get(code="regulator_deadline")
    sweep(now=clock.warn_at - timedelta(minutes=1))
    assert not ClockFiring.objects.filter(clock=clock).exists()
    sweep(now=clock.warn_at + timedelta(minutes=1))
    sweep(now=clock.due_at + timedelta(minutes=1))
    assert sorted(ClockFiring.objects.filter(clock=clock).values_list("kind", flat=True)) == ["breach", "warning"]
    assert Message.objects.filter(channel="internal", recipient_user=insurer["cs_head"]).exists()


@pytest.mark.parametrize("written", ["%Y/%-m/%-d", "%Y年%-m月%-d日"])
def test_a_deadline_written_as_a_day_alone_means_the_end_of_that_day(insurer: Any, api: Any, written: str) -> None:
    """The regulator's form says "2026/12/20" or "2026年12月20日": the end of that day, not its first minute."""
    deadline = (datetime.now(tz=SHANGHAI) + timedelta(days=6)).date()
    response = api("agent").post("/transfers", transferred(insurer, deadline=deadline.strftime(written)))
    assert response.status_code == 201, response.json_body
    assert response.json_body["deadline"] == f"{deadline.isoformat()}T23:59:00+08:00"
    clock = Clock.objects.get(code="regulator_deadline")
    assert clock.due_at == datetime.combine(deadline, datetime.min.time().replace(hour=23, minute=59), SHANGHAI)


def test_the_register_clocks_of_a_12378_transfer_count_from_when_it_arrived(insurer: Any, api: Any) -> None:
    """Seed 002 (insurer): a 12378 transfer without a violation is accepted within one working day, one
    with a violation is reported within 3 working days "from the day the transfer is received"
    (在接到该转办件之日起): registered a day later, the complaint is received when the transfer arrived,
    and its clock counts from then."""
    from complaintdesk.core.calendars import add_duration

    arrived = (datetime.now(tz=SHANGHAI) - timedelta(days=1)).replace(second=0, microsecond=0)
    for index, (flags, code, other) in enumerate(((["violation"], "violation_report", "regulator_register"),
                                                  ([], "regulator_register", "violation_report"))):
        data = transferred(insurer, received_at=arrived.strftime("%Y-%m-%d %H:%M"))
        data["transfer"]["reference"] = f"{data['transfer']['reference']}-{index}"
        data["complaint"]["received_at"] = ""
        data["complaint"]["flags"] = flags
        response = api("agent").post("/transfers", data)
        assert response.status_code == 201, response.json_body
        complaint = Complaint.objects.get(number=response.json_body["number"])
        assert complaint.received_at == arrived
        clock = Clock.objects.get(complaint=complaint, code=code)
        assert clock.started_at == arrived
        assert clock.due_at == add_duration(insurer.policy, arrived, insurer.policy.clock(code).duration).due_at
        assert not Clock.objects.filter(complaint=complaint, code=other).exists()



@pytest.mark.parametrize(("language", "reference", "deadline"), [
    ("zh-hans", "请填写监管部门的转办编号。", "办结时限须晚于收到转办的时间。"),
    ("en", "Record the regulator&#x27;s transfer reference.", "The deadline must be after the transfer was received."),
])
def test_the_transfer_forms_error_summary_says_what_is_wrong_without_field_paths(
        insurer: Any, client: Any, language: str, reference: str, deadline: str) -> None:
    """The summary above the form lists each problem in the reader's language, linked to its field;
    the form's internal field paths (transfer.reference) never show."""
    import re

    data = transferred(insurer, reference="", deadline="2026-01-01T09:00")
    post: dict[str, Any] = {f"transfer.{key}": value for key, value in data["transfer"].items()}
    for key, value in data["complaint"].items():
        if isinstance(value, dict):
            post.update({f"{key}.{name}": item for name, item in value.items()})
        elif value is not None:
            post[key] = value
    post["reason_codes"] = "/".join(data["complaint"]["reason_codes"])  # the form picks the path in one list
    client.force_login(insurer["agent"])
    type(insurer["agent"]).objects.filter(pk=insurer["agent"].pk).update(language=language)
    response = client.post("/transfers/new/", post, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 422
    summary = re.search(r'data-testid="error-summary">(.*?)</div>', response.content.decode(), re.S)
    assert summary is not None
    assert f'<a href="#f-transfer-reference">{reference}</a>' in summary.group(1)
    assert f'<a href="#f-transfer-deadline">{deadline}</a>' in summary.group(1)
    assert "transfer." not in re.sub(r'href="[^"]*"', "", summary.group(1))
    assert Complaint.objects.count() == 0 and Transfer.objects.count() == 0


TRANSFERRING = [name for name in preset_names()
                if any(c.kind in ("regulator", "internal") for c in load_preset(name).policy.channels)]


@pytest.mark.parametrize("preset", TRANSFERRING)
def test_every_preset_that_takes_transfers_keeps_the_transferring_bodys_deadline(org: Any, api: Any,
                                                                                 preset: str) -> None:
    """A regulator's (or another department's) deadline is a clock under every preset that lists such
    a door: given on the transfer, it is the clock's due time; not given, the policy's duration runs."""
    from complaintdesk.core.calendars import add_duration

    installed = install_org(preset)
    policy = installed.policy
    door = next(c for c in policy.channels if c.kind in ("regulator", "internal"))
    deadline = (datetime.now(tz=ZoneInfo(policy.timezone)) + timedelta(days=9)).date()
    for given in (deadline.isoformat(), ""):
        complaint = registration_for(policy)
        complaint["channel"], complaint["case_origin"] = door.code, ""
        response = api("agent").post("/transfers", {"complaint": complaint, "transfer": {
            "body": door.label.zh, "reference": "ZB-2026-1204", "deadline": given}})
        assert response.status_code == 201, (preset, response.json_body)
        clock = Clock.objects.get(complaint__number=response.json_body["number"], code="regulator_deadline")
        if given:
            assert clock.due_at == datetime.combine(deadline, datetime.min.time().replace(hour=23, minute=59),
                                                    ZoneInfo(policy.timezone))
        else:
            duration = policy.clock("regulator_deadline").duration
            assert clock.due_at == add_duration(policy, clock.started_at, duration).due_at
