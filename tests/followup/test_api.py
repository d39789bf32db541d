"""The follow-up API through HTTP: the queue, calls and results, survey links (public), judgements
and appeals — and every bad input the issue names: refused with a message naming the field, in the
caller's language, nothing changed."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from followup_kit import BASE, hotline_registration, resolve, visit_of

from complaintdesk.complaints.models import ContactAttempt
from complaintdesk.followup.models import Appeal, Judgement, ReturnVisit, SurveyLink
from complaintdesk.notify.models import Message
from orgkit import install_org

pytestmark = pytest.mark.django_db


def fields(response: Any) -> dict[str, str]:
    return {item["field"]: item["message"] for item in response.json_body["fields"]}


def test_the_queue_lists_due_overdue_mine_and_unassigned(api: Any, org: Any, resolved: Any) -> None:
    overdue = resolved()  # due BASE + 49 h: long past
    agent = api("agent")
    listed = agent.get("/return-visits?state=overdue")
    assert listed.status_code == 200
    assert [v["complaint"] for v in listed.json_body] == [overdue.number]
    assert listed.json_body[0]["overdue"] is True and listed.json_body[0]["progress"]["required_calls"] == 3
    assert agent.get("/return-visits?state=due").json_body == []
    assert [v["complaint"] for v in agent.get("/return-visits?state=unassigned").json_body] == [overdue.number]
    assert agent.get("/return-visits?state=mine").json_body == []
    visit = visit_of(overdue)
    assigned = api("supervisor").post(f"/return-visits/{visit.pk}/assign", {"to": "agent"})
    assert assigned.status_code == 200 and assigned.json_body["assigned_to"] == "agent"
    assert [v["complaint"] for v in agent.get("/return-visits?state=mine").json_body] == [overdue.number]
    bad = agent.get("/return-visits?state=someday")
    assert bad.status_code == 422 and "state" in fields(bad)
    assert api("handler").get("/return-visits?state=due").status_code == 403


def test_a_call_with_its_time_and_the_visit_comes_back(api: Any, org: Any, resolved: Any) -> None:
    complaint = resolved()
    response = api("agent").post(f"/complaints/{complaint.number}/return-visits",
                                 {"outcome": "no_answer", "at": "2026-11-17 10:15", "note": "rang 10 times"})
    assert response.status_code == 201, response.json_body
    body = response.json_body
    assert body["state"] == "open" and body["calls"][0]["outcome"] == "no_answer"
    assert body["progress"] == {"calls": 1, "days": 1, "required_calls": 3, "required_days": 3, "calls_needed": 2,
                                "days_needed": 2, "callback_failed_allowed": False}
    listed = api("agent").get(f"/complaints/{complaint.number}/return-visits")
    assert listed.status_code == 200 and len(listed.json_body) == 1


def test_callback_failed_too_early_is_422_and_says_what_is_missing(api: Any, org: Any, resolved: Any) -> None:
    complaint = resolved()
    agent = api("agent")
    for moment in ("2026-11-17 10:00", "2026-11-18 10:00", "2026-11-18 15:00"):
        agent.post(f"/complaints/{complaint.number}/return-visits", {"outcome": "busy", "at": moment})
    response = agent.post(f"/complaints/{complaint.number}/return-visits", {"outcome": "callback_failed"})
    assert response.status_code == 422
    assert "3 call(s) on 2 day(s) — 0 more call(s) on 1 more day(s) needed" in fields(response)["outcome"]
    assert ReturnVisit.objects.get().state == "open"
    chinese = api("agent", language="zh-hans").post(f"/complaints/{complaint.number}/return-visits",
                                                     {"outcome": "callback_failed"})
    assert "还需再拨打 0 次、再覆盖 1 天" in fields(chinese)["outcome"]
    agent.post(f"/complaints/{complaint.number}/return-visits", {"outcome": "no_answer", "at": "2026-11-19 09:30"})
    done = agent.post(f"/complaints/{complaint.number}/return-visits", {"outcome": "callback_failed"})
    assert done.status_code == 201 and done.json_body["result"] == "callback_failed"
    assert agent.get(f"/complaints/{complaint.number}").json_body["status"] == "closed"


def test_dissatisfied_without_reason_is_422_and_nothing_is_recorded(api: Any, org: Any, resolved: Any) -> None:
    complaint = resolved()
    response = api("agent").post(f"/complaints/{complaint.number}/return-visits",
                                 {"outcome": "reached", "satisfaction": "dissatisfied"})
    assert response.status_code == 422
    assert "“Dissatisfied”" in fields(response)["reason"]
    assert ContactAttempt.objects.count() == 0 and ReturnVisit.objects.get().state == "open"
    ok = api("agent").post(f"/complaints/{complaint.number}/return-visits",
                           {"outcome": "reached", "satisfaction": "dissatisfied", "reason": "Still broken"})
    assert ok.status_code == 201 and ok.json_body["outcome"] == "reopen"


def test_a_future_call_and_an_unknown_outcome_are_refused_together(api: Any, org: Any, resolved: Any) -> None:
    complaint = resolved()
    response = api("agent").post(f"/complaints/{complaint.number}/return-visits", {"outcome": "voicemail"})
    assert response.status_code == 422 and "callback_failed" in fields(response)["outcome"]
    future = api("agent").post(f"/complaints/{complaint.number}/return-visits",
                               {"outcome": "no_answer", "at": "2099-01-01 10:00"})
    assert future.status_code == 422 and "future" in fields(future)["at"]
    unknown_key = api("agent").post(f"/complaints/{complaint.number}/return-visits",
                                    {"outcome": "no_answer", "when": "today"})
    assert unknown_key.status_code == 422
    assert ContactAttempt.objects.count() == 0


def _survey_link(api: Any, complaint: Any) -> str:
    sent = api("agent").post(f"/complaints/{complaint.number}/return-visits/survey-link")
    assert sent.status_code == 201, sent.json_body
    body = Message.objects.get(kind="survey_invitation").body
    match = re.search(r"/portal/survey/([^/]+)/", body)
    assert match is not None
    return match.group(1)


def test_the_survey_link_is_public_and_answers_once(api: Any, client: Any, org: Any, resolved: Any) -> None:
    complaint = resolved()
    token = _survey_link(api, complaint)
    question = client.get(f"/api/v1/surveys/{token}")
    assert question.status_code == 200
    assert [p["code"] for p in question.json()["scale"]] == ["satisfied", "general", "dissatisfied"]
    answer = client.post(f"/api/v1/surveys/{token}", {"satisfaction": "satisfied"}, content_type="application/json")
    assert answer.status_code == 200 and answer.json() == {"result": "answered", "satisfaction": "satisfied"}
    again = client.post(f"/api/v1/surveys/{token}", {"satisfaction": "general", "reason": "x"},
                        content_type="application/json")
    assert again.status_code == 409
    assert again.json()["error"] == "survey_link_used" and again.json()["fields"][0]["field"] == "token"
    assert ReturnVisit.objects.get().satisfaction == "satisfied"


def test_expired_and_forged_survey_links_are_refused(api: Any, client: Any, org: Any, resolved: Any) -> None:
    complaint = resolved()
    token = _survey_link(api, complaint)
    forged = client.post(f"/api/v1/surveys/{token[:-2]}xx", {"satisfaction": "satisfied"},
                         content_type="application/json")
    assert forged.status_code == 400 and forged.json()["error"] == "survey_link_invalid"
    link = SurveyLink.objects.get()
    SurveyLink.objects.update(created_at=link.created_at - timedelta(days=8),
                              expires_at=link.expires_at - timedelta(days=8))
    expired = client.post(f"/api/v1/surveys/{token}", {"satisfaction": "satisfied"}, content_type="application/json")
    assert expired.status_code == 410 and expired.json()["error"] == "survey_link_expired"
    assert "过期" in expired.json()["fields"][0]["message"]  # no Accept-Language: the default, Chinese
    assert ReturnVisit.objects.get().state == "open"


def test_survey_dissatisfied_without_reason_is_422(api: Any, client: Any, org: Any, resolved: Any) -> None:
    complaint = resolved()
    token = _survey_link(api, complaint)
    response = client.post(f"/api/v1/surveys/{token}", {"satisfaction": "dissatisfied"},
                           content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == "reason" and "原因" in response.json()["fields"][0]["message"]
    assert SurveyLink.objects.get().used_at is None


@pytest.fixture
def hotline(org: Any) -> Any:
    install_org("community_hotline")
    return resolve(org, hotline_registration())


def test_judgement_with_a_category_the_policy_does_not_have_is_422(api: Any, org: Any, hotline: Any) -> None:
    response = api("supervisor").post(f"/complaints/{hotline.number}/judgement", {
        "validity": "valid", "category": "rudeness", "company_at_fault": True, "staff": "agent"})
    assert response.status_code == 422
    assert "rudeness" in fields(response)["category"] and "business" in fields(response)["category"]
    assert not Judgement.objects.exists()


def test_judgement_appeal_review_and_answers_over_http(api: Any, org: Any, hotline: Any) -> None:
    judged = api("supervisor").post(f"/complaints/{hotline.number}/judgement", {
        "validity": "valid", "category": "business", "company_at_fault": True, "staff": "agent",
        "note": "Wrong fee quoted", "compensation": "25.50"})
    assert judged.status_code == 201, judged.json_body
    body = judged.json_body
    assert body["staff_pays"] is True and body["compensation"] == "25.50" and body["can_appeal"] is False
    judgement_id = body["id"]
    mine = api("agent").get("/judgements")
    assert [j["id"] for j in mine.json_body] == [judgement_id] and mine.json_body[0]["can_appeal"] is True
    stats = api("supervisor").get("/judgement-statistics")
    assert stats.json_body == [{"staff": "agent", "staff_name": "Agent Test",
                                "category": {"code": "business", "label": "Business complaint"}, "count": 1}]
    appealed = api("agent").post(f"/judgements/{judgement_id}/appeal", {"grounds": "The knowledge base was wrong"})
    assert appealed.status_code == 201 and appealed.json_body["appeal_state"] == "filed"
    assert [j["id"] for j in api("supervisor").get("/appeals").json_body] == [judgement_id]
    reviewed = api("supervisor").post(f"/judgements/{judgement_id}/appeal/review", {
        "decision": "changed", "validity": "invalid", "category": "knowledge_base_error", "company_at_fault": True,
        "note": "KB outdated"})
    assert reviewed.status_code == 200 and reviewed.json_body["appeal_state"] == "second_review"
    assert reviewed.json_body["appeal"]["pending_roles"] == ["cs_head", "handler"]
    for role in ("cs_head", "handler"):
        answered = api(role).post(f"/judgements/{judgement_id}/appeal/answer", {
            "decision": "changed", "validity": "invalid", "category": "knowledge_base_error",
            "company_at_fault": True})
        assert answered.status_code == 200, answered.json_body
    final = api("agent").get(f"/judgements/{judgement_id}").json_body
    assert final["appeal_state"] == "answered" and final["category"]["code"] == "knowledge_base_error"
    assert final["appeal"]["original"]["category"]["code"] == "business" and final["appeal"]["changed"] is True
    assert api("supervisor").get("/judgement-statistics").json_body == []


def test_an_appeal_after_the_deadline_is_422(api: Any, org: Any, hotline: Any) -> None:
    judged = api("supervisor").post(f"/complaints/{hotline.number}/judgement", {
        "validity": "valid", "category": "service", "company_at_fault": True, "staff": "agent"})
    judgement_id = judged.json_body["id"]
    Judgement.objects.filter(pk=judgement_id).update(appeal_deadline=BASE)
    response = api("agent", language="zh-hans").post(f"/judgements/{judgement_id}/appeal", {"grounds": "不服"})
    assert response.status_code == 422
    assert "过期不予受理" in fields(response)["appeal_deadline"]
    assert not Appeal.objects.exists()


def test_an_appeal_by_someone_else_is_403_naming_the_appellant(api: Any, org: Any, hotline: Any) -> None:
    judged = api("supervisor").post(f"/complaints/{hotline.number}/judgement", {
        "validity": "valid", "category": "service", "company_at_fault": True, "staff": "agent"})
    response = api("specialist").post(f"/judgements/{judged.json_body['id']}/appeal", {"grounds": "For my agent"})
    assert response.status_code == 403 and "appellant" in fields(response)
    assert not Appeal.objects.exists()
    assert api("specialist").get(f"/judgements/{judged.json_body['id']}").status_code == 200
    assert api("quality").get(f"/judgements/{judged.json_body['id']}").status_code == 404  # out of sight: as if none


def test_a_score_for_the_satisfaction_and_a_named_responsibility(api: Any, org: Any, resolved: Any) -> None:
    complaint = resolved()
    response = api("agent").post(f"/complaints/{complaint.number}/return-visits",
                                 {"outcome": "reached", "satisfaction": 3})
    assert response.status_code == 201 and response.json_body["satisfaction"]["code"] == "satisfied"
    install_org("community_hotline")
    hotline = resolve(org, hotline_registration())
    judged = api("supervisor").post(f"/complaints/{hotline.number}/judgement", {
        "category": "untrue", "responsibility": "no_fault", "staff": "agent"})
    assert judged.status_code == 201 and judged.json_body["company_at_fault"] is False
    assert judged.json_body["validity"] == "invalid"
    bad = api("supervisor").post(f"/complaints/{hotline.number}/judgement", {
        "category": "untrue", "responsibility": "maybe", "staff": "agent"})
    assert bad.status_code == 422 and set(fields(bad)) == {"responsibility"}
    appealed = api("agent").post(f"/judgements/{judged.json_body['id']}/appeal", {"reason": "The customer lied"})
    assert appealed.status_code == 201 and appealed.json_body["appeal"]["grounds"] == "The customer lied"
