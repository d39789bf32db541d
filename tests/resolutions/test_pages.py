"""The pages through Django's test client, in both languages: the plan panel, the plan form with its
live preview and precedents, the approval inbox, the budget page and the legal panel."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from reskit import make_complaint, plan_input

from complaintdesk.resolutions.models import Plan
from complaintdesk.resolutions.services import legal_request, petty_cash_pay, plan_submit
from orgkit import install_org

pytestmark = pytest.mark.django_db


def client_for(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def form(amount: str = "2500", **extra: str) -> dict[str, str]:
    data = {"tier": "replacement", "what": "更换同型号整机", "who": "投诉处理专员", "when": "三天内",
            "where": "北京维修站", "why": "三次维修未解决", "how": "用户到站换机", "line_count": "5",
            "lines-0-kind": "spare_part", "lines-0-amount": amount, "lines-0-currency": "CNY",
            "lines-0-description": "整机"}
    data.update(extra)
    return data


@pytest.mark.parametrize(("language", "text"), [("zh-hans", "处理方案"), ("en", "Handling plan")])
def test_plan_panel_on_the_complaint_page(pc: Any, language: str, text: str) -> None:
    complaint = make_complaint(pc)
    plan_submit(actor=pc["specialist"], number=complaint.number, data=plan_input("250"))
    page = client_for(pc["specialist"], language).get(f"/complaints/{complaint.number}/")
    html = page.content.decode()
    assert page.status_code == 200 and text in html
    assert 'data-testid="plan"' in html and 'data-state="pending"' in html
    supervisor = client_for(pc["supervisor"], language).get(f"/complaints/{complaint.number}/").content.decode()
    assert 'data-testid="decide-form"' in supervisor


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_plan_form_submits_and_shows_errors(pc: Any, language: str) -> None:
    complaint = make_complaint(pc)
    client = client_for(pc["specialist"], language)
    page = client.get(f"/complaints/{complaint.number}/plans/new/")
    assert page.status_code == 200 and 'data-testid="plan-form"' in page.content.decode()
    bad = client.post(f"/complaints/{complaint.number}/plans/new/", form("-1", what=""))
    html = bad.content.decode()
    assert bad.status_code == 200 and 'data-testid="plan-errors"' in html and "lines[0].amount" in html
    assert not Plan.objects.exists()
    good = client.post(f"/complaints/{complaint.number}/plans/new/", form())
    assert good.status_code == 302 and good.url.endswith(f"/complaints/{complaint.number}/#plan")
    assert Plan.objects.get().approvals.get().role == "vp"


@pytest.mark.parametrize(("language", "approver"), [("zh-hans", "技术服务公司副总经理"), ("en", "Vice president")])
def test_live_preview_names_the_approver(pc: Any, language: str, approver: str) -> None:
    complaint = make_complaint(pc)
    response = client_for(pc["specialist"], language).post(f"/complaints/{complaint.number}/plans/preview/",
                                                           form(), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and approver in html and 'data-route="approval"' in html
    over = client_for(pc["specialist"], language).post(f"/complaints/{complaint.number}/plans/preview/",
                                                       form("5001"), HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="preview-over-budget"' in over


def test_precedents_partial_and_reuse(pc: Any) -> None:
    from reskit import resolve

    earlier = make_complaint(pc)
    plan = plan_submit(actor=pc["specialist"], number=earlier.number, data=plan_input("80", what="赠送鼠标致歉"))
    resolve(pc, earlier)
    complaint = make_complaint(pc)
    client = client_for(pc["specialist"], "zh-hans")
    html = client.get(f"/complaints/{complaint.number}/plans/precedents/?q=鼠标").content.decode()
    assert earlier.number in html and f"?reuse={plan.pk}" in html
    reused = client.get(f"/complaints/{complaint.number}/plans/new/?reuse={plan.pk}").content.decode()
    assert "赠送鼠标致歉" in reused and f'name="reuse_of" value="{plan.pk}"' in reused


@pytest.mark.parametrize(("language", "title"), [("zh-hans", "审批"), ("en", "Approvals")])
def test_inbox_and_decision_from_the_page(pc: Any, language: str, title: str) -> None:
    complaint = make_complaint(pc)
    plan = plan_submit(actor=pc["specialist"], number=complaint.number, data=plan_input("2500"))
    client = client_for(pc["vp"], language)
    html = client.get("/approvals/").content.decode()
    assert title in html and complaint.number in html and 'data-testid="nav-approvals"' in html
    approval = plan.approvals.get()
    response = client.post(f"/approvals/{approval.pk}/decide/", {"decision": "approve", "comment": "同意"})
    assert response.status_code == 302
    approval.refresh_from_db()
    assert approval.state == "approved"
    assert client_for(pc["agent"], language).get("/approvals/").status_code == 403


@pytest.mark.parametrize(("language", "title"), [("zh-hans", "月度预算"), ("en", "Monthly budget")])
def test_budget_page(pc: Any, language: str, title: str) -> None:
    complaint = make_complaint(pc)
    plan_submit(actor=pc["specialist"], number=complaint.number, data=plan_input("90"))
    html = client_for(pc["vp"], language).get("/budget/").content.decode()
    assert title in html and "4910.00" in html and complaint.number in html
    assert 'data-testid="nav-budget"' in html
    assert client_for(pc["agent"], language).get("/budget/").status_code == 403


@pytest.mark.parametrize(("language", "text"), [("zh-hans", "法务"), ("en", "Legal")])
def test_legal_panel(pc: Any, language: str, text: str) -> None:
    complaint = make_complaint(pc)
    # before the request: the urgent path's filing time, written for the reader (not "1wd")
    form = client_for(pc["specialist"], language).get(f"/complaints/{complaint.number}/").content.decode()
    assert {"zh-hans": "（1个工作日内）", "en": "(within 1 working day)"}[language] in form and "1wd" not in form
    legal_request(actor=pc["specialist"], number=complaint.number, fields={}, phoned=True, phone_note="紧急")
    html = client_for(pc["specialist"], language).get(f"/complaints/{complaint.number}/").content.decode()
    assert text in html and 'data-testid="filing-due"' in html and 'data-testid="file-form"' in html
    legal = client_for(pc["legal"], language).get(f"/complaints/{complaint.number}/").content.decode()
    assert 'data-testid="advice-form"' in legal


def test_petty_cash_panel_in_the_hypermarket(db: Any) -> None:
    hyper = install_org("hypermarket")
    complaint = make_complaint(hyper, owner="supervisor")
    petty_cash_pay(actor=hyper["supervisor"], number=complaint.number, kind="gift", amount="30",
                   description="购物卡", voucher_number="B-9")
    chief = client_for(hyper["supervisor"], "zh-hans").get(f"/complaints/{complaint.number}/").content.decode()
    assert "备用金" in chief and 'data-testid="pay-form"' in chief
    manager = client_for(hyper["cs_head"], "en").get(f"/complaints/{complaint.number}/").content.decode()
    assert 'data-testid="countersign"' in manager
    inbox = client_for(hyper["cs_head"], "en").get("/approvals/").content.decode()
    assert 'data-testid="inbox-payout"' in inbox


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_plan_form_explains_each_tier_with_its_condition_and_description(pc: Any, language: str) -> None:
    """pc_maker ③: "有货且10天内到货" (``solution_tiers[].condition``) and ⑦'s description."""
    complaint = make_complaint(pc)
    html = client_for(pc["specialist"], language).get(f"/complaints/{complaint.number}/plans/new/").content.decode()
    replacement, team = pc.policy.tier("replacement"), pc.policy.tier("major_team")
    key = "zh" if language == "zh-hans" else "en"
    assert replacement.condition is not None and team.description is not None
    assert getattr(replacement.condition, key) in html
    assert getattr(team.description, key) in html


def test_the_legal_panel_offers_the_policys_choices_and_agreement_kinds(pc: Any) -> None:
    """``legal.consultation_fields[].options`` and ``legal.agreement_kinds[].label`` as the owner picks them."""
    complaint = make_complaint(pc)
    legal_request(actor=pc["specialist"], number=complaint.number, fields={}, phoned=True, phone_note="紧急")
    html = client_for(pc["specialist"], "zh-hans").get(f"/complaints/{complaint.number}/").content.decode()
    assert '<option value="unknown">待确认</option>' in html
    assert '<option value="oral_agreement">口头协议</option>' in html
