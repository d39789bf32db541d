"""The follow-up pages through the Django test client: who sees what, forms post to the services,
errors show on the page, both languages."""

from __future__ import annotations

from typing import Any

import pytest
from followup_kit import hotline_registration, resolve, visit_of

from complaintdesk.followup.models import Judgement
from complaintdesk.followup.services import JudgementInput, appeal_file, judgement_record
from orgkit import install_org

pytestmark = pytest.mark.django_db


def login(client: Any, org: Any, role: str, language: str = "en") -> Any:
    client.force_login(org[role])
    client.cookies["django_language"] = language
    return client


def test_the_queue_is_for_team_leads_and_agents(client: Any, org: Any, resolved: Any) -> None:
    complaint = resolved()
    page = login(client, org, "supervisor").get("/return-visits/?state=overdue")
    assert page.status_code == 200
    html = page.content.decode()
    assert complaint.number in html and 'data-testid="rv-queue-assign"' in html
    assert 'data-testid="nav-return-visits"' in html
    assert login(client, org, "handler").get("/return-visits/").status_code == 403


def test_the_team_lead_assigns_from_the_queue(client: Any, org: Any, resolved: Any) -> None:
    complaint = resolved()
    visit = visit_of(complaint)
    response = login(client, org, "supervisor").post(f"/return-visits/{visit.pk}/assign/",
                                                     {"to": "agent", "next": "/return-visits/?state=overdue"})
    assert response.status_code == 302 and response["Location"] == "/return-visits/?state=overdue"
    visit.refresh_from_db()
    assert visit.assigned_to == org["agent"]
    page = login(client, org, "agent", "zh-hans").get("/return-visits/?state=mine")
    assert complaint.number in page.content.decode() and "分配给我的" in page.content.decode()


def test_the_queue_opens_on_my_visits_when_the_badge_counts_some(client: Any, org: Any, resolved: Any) -> None:
    complaint = resolved()
    visit = visit_of(complaint)
    login(client, org, "supervisor").post(f"/return-visits/{visit.pk}/assign/", {"to": "agent"})
    html = login(client, org, "agent").get("/return-visits/").content.decode()
    assert complaint.number in html, "the visit the badge counts is on the first tab"
    assert login(client, org, "agent").get("/return-visits/?state=due").status_code == 200


def test_the_complaint_page_shows_the_return_visit_panel_and_records(client: Any, org: Any, resolved: Any) -> None:
    complaint = resolved()
    agent = login(client, org, "agent")
    html = agent.get(f"/complaints/{complaint.number}/").content.decode()
    assert 'data-testid="return-visit-card"' in html and 'data-testid="rv-form"' in html
    assert "0 call(s) on 0 day(s) so far" in html
    refused = agent.post(f"/complaints/{complaint.number}/return-visits/", {"outcome": "callback_failed"},
                         follow=True)
    assert "3 more call(s) on 3 more day(s) needed" in refused.content.decode()
    agent.post(f"/complaints/{complaint.number}/return-visits/",
               {"outcome": "reached", "satisfaction": "general", "reason": "Slow but fine", "at": "2026-11-17T10:00"})
    complaint.refresh_from_db()
    assert complaint.status == "closed"
    html = agent.get(f"/complaints/{complaint.number}/").content.decode()
    assert 'data-testid="rv-history"' in html and "Slow but fine" in html


def test_the_survey_button_sends_a_link(client: Any, org: Any, resolved: Any) -> None:
    from complaintdesk.notify.models import Message

    complaint = resolved()
    response = login(client, org, "agent").post(f"/complaints/{complaint.number}/return-visits/survey-link/",
                                                follow=True)
    assert response.status_code == 200
    message = Message.objects.get(kind="survey_invitation")
    assert "http://testserver/portal/survey/" in message.body


@pytest.fixture
def hotline(org: Any) -> Any:
    install_org("community_hotline")
    return resolve(org, hotline_registration())


def test_the_judgement_panel_judges_in_chinese(client: Any, org: Any, hotline: Any) -> None:
    supervisor = login(client, org, "supervisor", "zh-hans")
    html = supervisor.get(f"/complaints/{hotline.number}/").content.decode()
    assert "评判（针对员工的投诉）" in html and "业务类投诉" in html and "知识库问题" in html
    # the appeal period and the judgements the staff member pays for, as the reader says them
    assert "员工可在 7天 内提出申诉。" in html and "仅适用于： 业务类投诉" in html
    assert "7d" not in html and "business<" not in html
    english = login(client, org, "supervisor", "en").get(f"/complaints/{hotline.number}/").content.decode()
    assert "within 7 days" in english and "Only for: Business complaint" in english
    supervisor.post(f"/complaints/{hotline.number}/judgement/", {
        "staff": "agent", "category": "business", "company_at_fault": "yes", "compensation": "20",
        "note": "录音核实：报错费用"})
    judgement = Judgement.objects.get()
    assert (judgement.validity, judgement.category, judgement.compensation) == ("valid", "business", 20)
    refused = supervisor.post(f"/complaints/{hotline.number}/judgement/", {
        "staff": "agent", "category": "rudeness", "company_at_fault": "yes"}, follow=True)
    assert "rudeness" in refused.content.decode()
    # a colleague without a judging role sees no judgement of another
    assert 'data-testid="judgement-card"' not in login(client, org, "quality").get(
        f"/complaints/{hotline.number}/").content.decode()


def test_my_judgements_and_the_appeal_page(client: Any, org: Any, hotline: Any) -> None:
    judgement = judgement_record(actor=org["supervisor"], number=hotline.number, data=JudgementInput(
        validity="valid", category="service", company_at_fault=True, staff="agent"))
    agent = login(client, org, "agent", "zh-hans")
    mine = agent.get("/judgements/mine/").content.decode()
    assert 'data-testid="nav-my-judgements"' in mine and hotline.number in mine and "查看并申诉" in mine
    page = agent.get(f"/judgements/{judgement.pk}/").content.decode()
    assert 'data-testid="appeal-form"' in page
    empty = agent.post(f"/judgements/{judgement.pk}/appeal/", {"grounds": " "}, follow=True)
    assert "请说明您对评判结果有异议的理由" in empty.content.decode()
    agent.post(f"/judgements/{judgement.pk}/appeal/", {"grounds": "当时系统故障"})
    judgement.refresh_from_db()
    assert judgement.appeal_state == "filed"
    assert login(client, org, "specialist").post(f"/judgements/{judgement.pk}/appeal/",
                                                 {"grounds": "x"}).status_code == 403


def test_the_appeal_review_page_for_supervisors_and_managers(client: Any, org: Any, hotline: Any) -> None:
    judgement = judgement_record(actor=org["supervisor"], number=hotline.number, data=JudgementInput(
        validity="valid", category="service", company_at_fault=True, staff="agent"))
    appeal_file(actor=org["agent"], judgement_id=judgement.pk, grounds="System fault at the time")
    supervisor = login(client, org, "supervisor")
    inbox = supervisor.get("/appeals/").content.decode()
    assert 'data-testid="nav-appeals"' in inbox and hotline.number in inbox
    page = supervisor.get(f"/judgements/{judgement.pk}/").content.decode()
    assert 'data-testid="decision-form"' in page and "/review/" in page
    supervisor.post(f"/judgements/{judgement.pk}/review/", {
        "decision": "changed", "category": "system_fault", "company_at_fault": "yes", "note": "Logs show an outage"})
    judgement.refresh_from_db()
    assert judgement.appeal_state == "second_review"
    manager = login(client, org, "cs_head", "zh-hans")
    page = manager.get(f"/judgements/{judgement.pk}/").content.decode()
    assert "二次复核：请回复意见" in page and "/answer/" in page
    # who is still to answer, as the hotline calls them (not cs_head, handler)
    assert "客服部门经理" in page and "业务/分公司对接人" in page and "cs_head" not in page.split("<main")[1]
    manager.post(f"/judgements/{judgement.pk}/answer/", {
        "decision": "changed", "category": "system_fault", "company_at_fault": "yes"})
    branch = login(client, org, "handler")
    assert hotline.number in branch.get("/appeals/").content.decode()
    branch.post(f"/judgements/{judgement.pk}/answer/", {
        "decision": "changed", "category": "system_fault", "company_at_fault": "yes"})
    judgement.refresh_from_db()
    assert judgement.appeal_state == "answered" and judgement.category == "system_fault"
    record = login(client, org, "agent").get(f"/judgements/{judgement.pk}/").content.decode()
    assert 'data-testid="appeal-final" data-changed="yes"' in record and "System fault at the time" in record
    assert "(Customer-service department manager)" in record and "(cs_head)" not in record
