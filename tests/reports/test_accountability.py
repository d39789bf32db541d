"""Staff accountability: judgements of a month per staff member and team, with appeals and their
outcomes, equal to a count by hand."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from reportkit import NOV_END, NOV_START, SHANGHAI, make_complaint

from complaintdesk.reports.periods import Month
from complaintdesk.reports.selectors.accountability import accountability


def _judge(org: Any, number: str, staff: Any, at: Any, validity: str, *, appeal: str = "") -> None:
    from complaintdesk.followup.models import Appeal, Judgement

    complaint = make_complaint(org, number, at)
    judgement = Judgement.objects.create(complaint=complaint, staff=staff, validity=validity, category="x",
                                         company_at_fault=validity == "valid", judged_by=org["supervisor"],
                                         judged_at=at, appeal_deadline=at + timedelta(days=3))
    if appeal:
        Appeal.objects.create(judgement=judgement, appellant=staff, filed_at=at + timedelta(hours=1), grounds="g",
                              answered_at=None if appeal == "pending" else at + timedelta(days=1),
                              changed=appeal == "changed")


def test_counts_per_staff_member_and_team(pc_org: Any, client: Any) -> None:
    agent, handler = pc_org["agent"], pc_org["handler"]
    inside = NOV_START + timedelta(days=3)
    _judge(pc_org, "A1", agent, inside, "valid")
    _judge(pc_org, "A2", agent, inside, "valid", appeal="upheld")
    _judge(pc_org, "A3", agent, inside, "invalid", appeal="changed")
    _judge(pc_org, "A4", agent, NOV_START, "valid", appeal="pending")  # the first instant of November
    _judge(pc_org, "A5", agent, NOV_START - timedelta(seconds=1), "valid")  # still October
    _judge(pc_org, "H1", handler, NOV_END - timedelta(seconds=1), "invalid")
    data = accountability(Month(2026, 11, SHANGHAI), "en")
    rows = {r["username"]: r for r in data["staff"]}
    assert {k: rows["agent"][k] for k in ("judged", "valid", "invalid", "appeals", "pending", "upheld",
                                           "changed", "company_at_fault")} == {
        "judged": 4, "valid": 3, "invalid": 1, "appeals": 3, "pending": 1, "upheld": 1, "changed": 1,
        "company_at_fault": 3}
    assert rows["handler"]["judged"] == 1 and rows["handler"]["valid"] == 0
    assert data["staff"][0]["username"] == "agent"  # most valid judgements first
    teams = {t["code"]: t for t in data["teams"]}
    department = handler.department.code
    assert teams[department]["judged"] == 1 and teams[""]["judged"] == 4 and teams[""]["label"] == "No department"
    client.force_login(pc_org["cs_head"])
    html = client.get("/reports/accountability/?month=2026-11", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-staff="agent"' in html and 'data-testid="valid">3<' in html
    client.cookies["django_language"] = "zh-hans"
    assert "员工责任统计 2026-11" in client.get("/reports/accountability/?month=2026-11").content.decode()
    assert client.get("/reports/accountability/?month=11-2026").status_code == 422
    client.force_login(pc_org["specialist"])
    assert client.get("/reports/accountability/").status_code == 403
