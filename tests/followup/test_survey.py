"""The survey by link: signed, expiring, single use; sent by the message transport; the answer lands
on the same return visit. Valid, expired, reused and forged links; the public page in Chinese."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from followup_kit import BASE, SH, resolve, resolve_under, status, visit_of

from complaintdesk.core.errors import Conflict, ValidationFailed
from complaintdesk.followup.models import SurveyLink
from complaintdesk.followup.services import SurveyLinkRefused, survey_answer, survey_link_send, survey_open
from complaintdesk.notify.models import Message

pytestmark = pytest.mark.django_db

SENT = BASE + timedelta(hours=2)


def send(org: Any, complaint: Any, now: Any = SENT) -> tuple[SurveyLink, str]:
    return survey_link_send(actor=org["agent"], number=complaint.number, base_url="https://cd.example/", now=now)


def token_of(url: str) -> str:
    match = re.search(r"/portal/survey/([^/]+)/$", url)
    assert match is not None
    return match.group(1)


def test_the_link_is_sent_by_sms_in_the_customers_language_and_valid_for_the_policys_time(org: Any,
                                                                                        resolved: Any) -> None:
    complaint = resolved()
    link, url = send(org, complaint)
    message = Message.objects.get(complaint=complaint, kind="survey_invitation")
    assert message.channel == "sms" and message.recipient == "+8613812345678"
    assert message.body == f"Your complaint {complaint.number} has been handled. Please tell us how we did: {url}"
    assert url.startswith("https://cd.example/portal/survey/")
    # survey_link_valid: 7 days by default, to 24:00 of the seventh day after the sending
    assert link.expires_at == datetime(2026, 11, 24, 0, 0, tzinfo=SH)
    assert complaint.timeline.filter(kind="survey_link_sent").exists()
    survey = survey_open(token=token_of(url), now=SENT + timedelta(days=1))
    assert survey.visit == visit_of(complaint)
    assert [p.code for p in survey.points] == ["satisfied", "general", "dissatisfied"]


def test_the_customers_answer_lands_on_the_same_visit_and_closes(org: Any, resolved: Any) -> None:
    complaint = resolved()
    _link, url = send(org, complaint)
    visit = survey_answer(token=token_of(url), satisfaction="satisfied", now=SENT + timedelta(hours=3))
    assert visit.pk == visit_of(complaint).pk
    assert visit.result == "answered" and visit.channel == "survey" and visit.completed_by is None
    assert status(complaint) == "closed"
    assert SurveyLink.objects.get(visit=visit).used_at == SENT + timedelta(hours=3)


def test_a_dissatisfied_answer_needs_the_reason_and_then_reopens(org: Any, resolved: Any) -> None:
    complaint = resolved()
    _link, url = send(org, complaint)
    token = token_of(url)
    with pytest.raises(ValidationFailed) as exc:
        survey_answer(token=token, satisfaction="dissatisfied", now=SENT)
    assert {p.field for p in exc.value.problems} == {"reason"}
    assert SurveyLink.objects.get().used_at is None and visit_of(complaint).state == "open"
    survey_answer(token=token, satisfaction="dissatisfied", reason="Nobody called me back", now=SENT)
    assert status(complaint) == "in_progress"


def test_a_reused_link_is_refused(org: Any, resolved: Any) -> None:
    complaint = resolved()
    _link, url = send(org, complaint)
    survey_answer(token=token_of(url), satisfaction="satisfied", now=SENT)
    with pytest.raises(SurveyLinkRefused) as exc:
        survey_answer(token=token_of(url), satisfaction="dissatisfied", reason="changed my mind", now=SENT)
    assert exc.value.reason == "used" and exc.value.status == 409
    assert visit_of(complaint).satisfaction == "satisfied"


def test_an_expired_link_is_refused_and_changes_nothing(org: Any, resolved: Any) -> None:
    complaint = resolved()
    link, url = send(org, complaint)
    with pytest.raises(SurveyLinkRefused) as exc:
        survey_answer(token=token_of(url), satisfaction="satisfied", now=link.expires_at)
    assert exc.value.reason == "expired" and exc.value.status == 410
    assert visit_of(complaint).state == "open" and status(complaint) == "resolved"
    # one minute before the end it still works
    survey_open(token=token_of(url), now=link.expires_at - timedelta(minutes=1))


@pytest.mark.parametrize("forge", ["flip", "other-id", "garbage"])
def test_a_forged_or_tampered_link_is_refused(org: Any, resolved: Any, forge: str) -> None:
    complaint = resolved()
    link, url = send(org, complaint)
    token = token_of(url)
    if forge == "flip":
        token = token[:-1] + ("A" if token[-1] != "A" else "B")
    elif forge == "other-id":
        token = f"{link.pk + 1}.{link.nonce}" + token[token.index(":"):]
    else:
        token = "not-a-survey"
    with pytest.raises(SurveyLinkRefused) as exc:
        survey_answer(token=token, satisfaction="satisfied", now=SENT)
    assert exc.value.reason == "invalid" and exc.value.status == 400
    assert visit_of(complaint).state == "open"


def test_a_link_for_a_visit_that_no_longer_applies_is_refused(org: Any, resolved: Any) -> None:
    from complaintdesk.complaints.services.actions import complaint_reopen

    complaint = resolved()
    _link, url = send(org, complaint)
    complaint_reopen(actor=org["specialist"], number=complaint.number, now=SENT,
                  note="New facts from the customer")
    with pytest.raises(SurveyLinkRefused) as exc:
        survey_open(token=token_of(url), now=SENT)
    assert exc.value.reason == "expired"


def test_no_survey_where_the_policy_has_no_invitation(org: Any) -> None:
    complaint = resolve_under("community_hotline", org)
    visitor = visit_of(complaint).assigned_to
    with pytest.raises(Conflict):
        survey_link_send(actor=visitor, number=complaint.number, base_url="https://cd.example/", now=SENT)


def test_the_survey_offers_no_internal_difficult_customer_choice(org: Any) -> None:
    from complaintdesk.followup.services.survey import survey_token

    complaint = resolve_under("community_hotline", org)
    visit = visit_of(complaint)
    link = SurveyLink.objects.create(visit=visit, nonce="n1", created_at=SENT, expires_at=SENT + timedelta(days=7),
                                     created_by=org["specialist"], channel="sms")
    survey = survey_open(token=survey_token(link), now=SENT)
    assert "difficult" not in [p.code for p in survey.points]
    with pytest.raises(ValidationFailed):
        survey_answer(token=survey_token(link), satisfaction="difficult", reason="x", now=SENT)


def test_the_public_page_in_chinese_and_its_answer(client: Any, org: Any, registration: Any) -> None:
    data = registration()
    data["customer"] = {**data["customer"], "language": "zh-hans"}
    complaint = resolve(org, data)
    _link, url = send(org, complaint, now=None)
    path = url.removeprefix("https://cd.example")
    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert "您对投诉处理的满意程度如何" in html and "不满意" in html and complaint.number in html
    answer = client.post(path, {"satisfaction": "dissatisfied", "reason": "", "lang": "zh-hans"})
    assert answer.status_code == 422 and "请告诉我们您选择" in answer.content.decode()
    answer = client.post(path, {"satisfaction": "satisfied", "lang": "zh-hans"})
    assert answer.status_code == 200 and "感谢您的回答" in answer.content.decode()
    again = client.get(path)
    assert again.status_code == 409 and "已经回答" in again.content.decode()
    assert client.get(path + "?lang=en").content.decode().count("already been answered") == 1
    forged = client.get("/portal/survey/forged-token/")
    assert forged.status_code == 400
