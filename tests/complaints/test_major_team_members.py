"""The major-complaint team (001 §4.5): its chair and the departments that send a member are told
when the team opens, and the chair may record the team's agreed solution (``major_team.chair``,
``major_team.departments``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from workkit import act, at, bring_to, notices, register

from complaintdesk.accounts.services import user_create
from complaintdesk.clocks.models import Clock
from complaintdesk.complaints.services.report_up import may_report
from complaintdesk.core.models import AuditEvent
from complaintdesk.core.policies import policy_of
from complaintdesk.policy.schema import Role
from orgkit import PASSWORD, install_variant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("table_only")]

MOMENT = at("2026-06-10 10:00")


def handler_of(department: str) -> Any:
    return user_create(actor=None, username=f"handler_{department}", password=PASSWORD, roles=[Role.HANDLER],
                       first_name="Handler", last_name=department, department_code=department, language="en")


def test_the_chair_and_the_team_departments_are_told_and_the_chair_agrees_the_solution() -> None:
    # pc_maker's team is chaired by the quality department; here the general manager chairs it
    # without being a member; handlers are not members, and only the technical centre sends one.
    pc = install_variant(
        "pc_maker", "2026.1-chair",
        ("  chair: quality\n", "  chair: gm\n"),
        ("  members: [quality, legal, handler, specialist, vp]", "  members: [quality, legal, specialist, vp]"),
        ("  departments: [quality, legal, product_dept, spare_parts, technical_centre, repair_station]",
         "  departments: [technical_centre]"))
    centre, sales = handler_of("technical_centre"), handler_of("sales_marketing")
    complaint = bring_to(pc, register(pc["agent"], when=MOMENT), "in_progress", now=MOMENT)
    act(pc["specialist"], complaint, "escalate", reason="The customer went to the press",
        now=MOMENT + timedelta(minutes=30))

    assert [n.kind for n in notices(pc["gm"], "major_opened")] == ["major_opened"]
    assert [n.kind for n in notices(centre, "major_opened")] == ["major_opened"]
    assert notices(sales, "major_opened") == []  # its department sends nobody to the team
    assert AuditEvent.objects.get(action="complaint.major_team").after["chair"] == "gm"
    assert AuditEvent.objects.get(action="complaint.major_team").after["departments"] == ["technical_centre"]

    policy = policy_of(complaint.policy_version)
    complaint.refresh_from_db()
    assert may_report(pc["gm"], complaint, policy, "agree_major_solution")
    act(pc["gm"], complaint, "agree_major_solution", reason="Replace the laptop and refund the repair",
        now=MOMENT + timedelta(hours=1))
    team_clock = Clock.objects.get(complaint=complaint, code="major_team_solution")
    assert team_clock.status == "stopped" and team_clock.stopped_at == MOMENT + timedelta(hours=1)


def test_without_the_chair_the_general_manager_may_not_agree_the_solution() -> None:
    pc = install_variant("pc_maker", "2026.1-nochair")
    complaint = bring_to(pc, register(pc["agent"], when=MOMENT), "in_progress", now=MOMENT)
    act(pc["specialist"], complaint, "escalate", reason="The customer went to the press",
        now=MOMENT + timedelta(minutes=30))
    complaint.refresh_from_db()
    policy = policy_of(complaint.policy_version)
    assert not may_report(pc["gm"], complaint, policy, "agree_major_solution")
    assert notices(pc["gm"], "major_opened") == []
