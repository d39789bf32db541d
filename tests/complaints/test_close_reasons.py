"""``close_reasons`` (community hotline, seed 002 五.2(4): "如果回复客户时客户已欠费或停机;可记录处理情况并
结单"): found when replying, so the owner closes the complaint unresolved, recording how it was handled —
not a rejection at intake. Through the services and the complaint page, in both languages."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from workkit import act, register

from complaintdesk.clocks.models import Clock
from complaintdesk.complaints.display import timeline_text
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.services.lifecycle import transition_targets
from complaintdesk.core.errors import InvalidTransition, ValidationFailed
from orgkit import install_org

HANDLED = "回拨时线路已停机，已记录核实情况；客户再次反映时由下一位客户代表重起工单。"


@pytest.fixture
def hotline(db: Any) -> Any:
    return install_org("community_hotline")


def in_handling(org: Any) -> Complaint:
    complaint = register(org["agent"])
    act(org["supervisor"], complaint, "accept")
    return act(org["supervisor"], complaint, "start")


def test_the_supervisor_closes_a_complaint_whose_line_is_suspended(hotline: Any) -> None:
    complaint = in_handling(hotline)
    assert "close" in transition_targets(hotline["supervisor"], complaint)
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as info:
        act(hotline["supervisor"], complaint, "close", reason="arrears_or_suspended")
    assert [p.field for p in info.value.problems] == ["note"]
    assert Complaint.objects.get(pk=complaint.pk).status == "in_progress"

    closed = act(hotline["supervisor"], complaint, "close", reason="arrears_or_suspended", note=HANDLED)
    assert (closed.status, closed.outcome_reason, closed.outcome_note) == ("closed", "arrears_or_suspended", HANDLED)
    assert closed.resolved_at is None and closed.closed_at is not None
    assert not Clock.objects.filter(complaint=complaint, status=Clock.Status.RUNNING).exists()
    entry = closed.timeline.get(kind="status_close")
    with translation.override("zh-hans"):
        assert "回复时客户已欠费或停机" in timeline_text(entry, hotline.policy)
    with translation.override("en"):
        assert "Line in arrears or suspended at the reply" in timeline_text(entry, hotline.policy)


def test_only_the_policys_reasons_close_an_open_complaint(hotline: Any) -> None:
    complaint = in_handling(hotline)
    with pytest.raises(InvalidTransition):
        act(hotline["supervisor"], complaint, "close", reason="customer_gone", note=HANDLED)
    with pytest.raises(InvalidTransition):  # not a rejection reason either
        act(hotline["supervisor"], complaint, "close", reason="duplicate", note=HANDLED)
    pc = install_org("pc_maker")
    other = register(pc["agent"])
    assert "close" not in transition_targets(pc["agent"], other)


@pytest.mark.parametrize(("language", "label"), [("zh-hans", "回复时客户已欠费或停机，记录处理情况并结单"),
                                                 ("en", "Line in arrears or suspended at the reply")])
def test_the_complaint_page_offers_the_close_with_its_reasons(hotline: Any, client: Any, language: str,
                                                              label: str) -> None:
    complaint = in_handling(hotline)
    client.force_login(hotline["supervisor"])
    page = client.get(f"/complaints/{complaint.number}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert 'data-testid="action-close"' in page and 'data-testid="close-reason"' in page and label in page
    assert "Resolved: confirm the closing" not in page  # an open complaint is not resolved
    response = client.post(f"/complaints/{complaint.number}/act/close/",
                           {"reason": "arrears_or_suspended", "note": HANDLED}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 302
    assert Complaint.objects.get(pk=complaint.pk).status == "closed"
