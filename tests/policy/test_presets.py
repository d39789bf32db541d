"""Every shipped preset loads, is complete, and carries its seed's own numbers."""

from __future__ import annotations

import io
from decimal import Decimal
from functools import cache

import pytest
from pydantic import BaseModel

from complaintdesk.policy.check import check
from complaintdesk.policy.load import load_preset, preset_names
from complaintdesk.policy.schema import (
    ChannelKind,
    ClockEvent,
    Duration,
    Policy,
    ReasonNode,
    Role,
    SatisfactionOutcome,
    Text,
    Unit,
)

PRESETS = [
    "community_hotline",
    "dealer_network",
    "hypermarket",
    "insurer",
    "iptv",
    "led_manufacturer",
    "pc_maker",
    "phone_maker",
    "qr_qmd_manufacturer",
    "restaurant",
    "scenic_area",
    "securities",
    "shopping_mall",
    "website",
]


@cache
def preset(name: str) -> Policy:
    return load_preset(name).policy


def d(text: str) -> Duration:
    return Duration.model_validate(text)


def test_all_presets_are_shipped() -> None:
    assert preset_names() == PRESETS


@pytest.mark.parametrize("name", PRESETS)
def test_preset_loads_and_checks_clean(name: str) -> None:
    out = io.StringIO()
    assert check([name], out) == 0
    assert out.getvalue().endswith(f"{name}.yaml: ok ({_summary(preset(name))})\n")
    assert preset(name).id == name


def _summary(policy: Policy) -> str:
    return (
        f"policy {policy.id} {policy.version}, {len(policy.levels)} levels, "
        f"{len(policy.categories)} categor{'y' if len(policy.categories) == 1 else 'ies'}, "
        f"{len(policy.clocks)} clock{'' if len(policy.clocks) == 1 else 's'}"
    )


@pytest.mark.parametrize("name", PRESETS)
def test_preset_is_complete(name: str) -> None:
    policy = preset(name)
    # one promise told to the customer for each door (one clock, or one per door: the restaurant)
    for channel in policy.channels:
        promises = [clock for clock in policy.clocks if clock.promise
                    and (not clock.applies.channels or channel.code in clock.applies.channels)]
        assert len(promises) == 1, (channel.code, promises)
    assert policy.channels and policy.levels and policy.targets and policy.categories
    assert policy.reject_reasons and policy.reasons.tree and policy.repeat.window_days >= 1
    assert policy.departments and policy.solution_tiers and policy.cost_kinds
    assert policy.approval is not None and policy.return_visit is not None and policy.retention
    assert all(category.facts for category in policy.categories)
    for placeholder in ("{number}", "{received_at}", "{reply_by}"):
        assert placeholder in policy.messages.acknowledgement.zh
        assert placeholder in policy.messages.acknowledgement.en


@pytest.mark.parametrize("name", PRESETS)
def test_every_text_has_both_languages(name: str) -> None:
    def walk(value: object) -> int:
        if isinstance(value, Text):
            assert value.zh.strip() and value.en.strip()
            return 1
        if isinstance(value, dict):
            return sum(walk(item) for item in value.values())
        if isinstance(value, list | tuple):
            return sum(walk(item) for item in value)
        if isinstance(value, BaseModel):
            return sum(walk(getattr(value, key)) for key in type(value).model_fields)
        return 0

    assert walk(preset(name)) > 20


@pytest.mark.parametrize("name", PRESETS)
def test_language(name: str) -> None:
    expected = "en" if name in {"phone_maker", "dealer_network"} else "zh-hans"
    assert preset(name).language == expected


@pytest.mark.parametrize("name", PRESETS)
def test_every_intake_path_can_reach_the_root_cause_depth(name: str) -> None:
    reasons = preset(name).reasons

    def leaves(nodes: list[ReasonNode], depth: int) -> list[int]:
        out: list[int] = []
        for node in nodes:
            out.extend(leaves(node.children, depth + 1) if node.children else [depth])
        return out

    assert min(leaves(reasons.tree, 1)) >= reasons.intake_depth
    assert max(leaves(reasons.tree, 1)) <= reasons.root_cause_depth


# --- seed 000: phone maker -----------------------------------------------------------------------


def test_phone_maker_numbers() -> None:
    policy = preset("phone_maker")
    assert [level.code for level in policy.levels_by_rank()] == ["general", "major", "crisis"]
    visit = policy.return_visit
    assert visit is not None
    assert visit.due == d("48h")
    assert (visit.callback_failed.attempts, visit.callback_failed.distinct_days) == (3, 3)
    assert visit.assigner == Role.SUPERVISOR and visit.visitor == Role.AGENT
    assert visit.no_visit_needed
    reasons_required = {point.code for point in visit.scale if point.reason_required}
    assert reasons_required == {"general", "dissatisfied"}
    assert policy.clock("return_visit").duration == d("48h")
    daily = policy.clock("daily_update")
    assert daily.repeats and daily.stops == [ClockEvent.PROGRESS_LOGGED, ClockEvent.RESOLVED]
    priority = [target.code for target in sorted(policy.targets, key=lambda t: t.priority)]
    assert priority == ["company", "incident", "sc", "cc", "product", "concept_store", "dealer"]
    assert policy.channel("facebook").requires_origin and policy.channel("twitter").requires_origin


# --- seed 001: pc maker --------------------------------------------------------------------------


def test_pc_maker_numbers() -> None:
    policy = preset("pc_maker")
    assert policy.budget is not None
    assert policy.budget.monthly == Decimal(5000)
    assert policy.budget.currency == "CNY"
    assert set(policy.budget.kinds) == {"spare_part", "compensation", "gift"}
    assert policy.approval is not None
    limits = [(limit.up_to, limit.role) for limit in policy.approval.limits]
    assert limits == [
        (Decimal(100), Role.SPECIALIST),
        (Decimal(300), Role.SUPERVISOR),
        (Decimal(800), Role.CS_HEAD),
        (Decimal(3000), Role.VP),
        (None, Role.GM),
    ]
    assert policy.clock("technical_solution").duration == d("3wd")
    assert policy.clock("technical_solution").promise
    urgent = policy.clock("urgent_solution")
    assert urgent.duration == d("1d") and urgent.applies.urgent is True
    proposal = policy.clock("solution_proposal")
    assert proposal.duration == d("24h")
    assert set(proposal.applies.tiers) == {"replacement", "upgrade", "refund", "legal"}
    major = policy.clock("major_team_solution")
    assert major.duration == d("2h") and major.customer_deadline
    assert policy.clock("legal_outcome_report").duration == d("3d")
    assert policy.clock("letter_callback").applies.channels == ["letter"]
    assert policy.department("technical_support").work_order_due == d("3wd")
    assert policy.department("technical_support").urgent_due == d("1d")


def test_pc_maker_solution_tiers() -> None:
    policy = preset("pc_maker")
    tiers = sorted(policy.solution_tiers, key=lambda tier: tier.rank)
    assert [tier.rank for tier in tiers] == [1, 2, 3, 4, 5, 6, 7]
    assert [tier.code for tier in tiers] == [
        "special_spare_part",
        "service_compensation",
        "replacement",
        "upgrade",
        "refund",
        "legal",
        "major_team",
    ]
    assert {tier.code for tier in tiers if tier.approver == Role.VP} == {"replacement", "upgrade", "refund"}
    assert "10" in policy.tier("replacement").condition.zh  # type: ignore[union-attr]
    assert "2天" in policy.tier("upgrade").condition.zh  # type: ignore[union-attr]


def test_pc_maker_major_complaint_and_legal() -> None:
    policy = preset("pc_maker")
    major = policy.level("major")
    assert major.major and major.supervisor == Role.QUALITY
    team = policy.major_team
    assert team is not None
    assert team.chair == Role.QUALITY and Role.LEGAL in team.members
    assert policy.clock("major_team_solution").duration == d("2h")
    assert {"quality", "legal", "product_dept", "spare_parts", "technical_centre"} <= set(team.departments)
    assert {option.code for option in policy.special_identities} >= {
        "celebrity",
        "pregnant",
        "patient",
        "media_worker",
        "law_enforcement_officer",
    }
    assert policy.legal is not None
    assert policy.legal.outcome_report_within == d("3d")
    assert {kind.code for kind in policy.legal.agreement_kinds} == {"settlement_agreement", "oral_agreement"}
    assert policy.category("batch_quality").department == "quality"
    assert {report.code for report in policy.reports} == {"monthly_statistics", "monthly_cost_summary"}


# --- seed 002: hypermarket -----------------------------------------------------------------------


def test_hypermarket_numbers() -> None:
    policy = preset("hypermarket")
    assert policy.approval is not None
    limits = [(limit.up_to, limit.role) for limit in policy.approval.limits]
    assert limits == [(Decimal(20), Role.AGENT), (Decimal(100), Role.SUPERVISOR), (None, Role.CS_HEAD)]
    cash = policy.petty_cash
    assert cash is not None
    assert cash.limit == Decimal(100) and cash.voucher_required
    assert cash.payer_roles == [Role.AGENT, Role.SUPERVISOR] and cash.countersign_role == Role.CS_HEAD
    assert cash.kinds == ["gift", "cash", "medical"]
    assert policy.clock("petty_cash_countersign").starts == ClockEvent.PETTY_CASH_PAID
    reply = policy.clock("reply_three_days")
    assert reply.promise and reply.duration == d("3d")
    doors = {channel.code for channel in policy.channels}
    assert {"service_desk", "accounts_centre", "returns_desk", "switchboard", "group_buying", "phone"} <= doors
    assert {"opinion_box", "letter", "head_office", "media", "government"} <= doors
    reports = {report.code: report for report in policy.reports}
    assert reports["weekly_summary"].every == "monday"
    assert reports["monthly_summary"].by_day == 5
    major_flags = {flag for trigger in policy.triggers for flag in trigger.flags}
    assert {
        "injury_by_goods",
        "valuables_lost",
        "press_government",
        "malicious_claim",
        "injured_in_store",
        "food_poisoning",
    } <= major_flags
    for trigger in policy.triggers:
        assert trigger.level == "major"
        assert trigger.keywords.zh and trigger.keywords.en


def test_hypermarket_food_court_is_not_a_court() -> None:
    from complaintdesk.policy.rules import suggest_level

    assert suggest_level(preset("hypermarket"), text="The food court was dirty").level == "general"
    assert suggest_level(preset("hypermarket"), text="Prices fell last week").level == "general"


# --- seed 002: community hotline -----------------------------------------------------------------


def test_community_hotline_numbers() -> None:
    policy = preset("community_hotline")
    assert policy.clock("first_reply").duration == d("24h") and policy.clock("first_reply").promise
    assert policy.clock("reply_limit").duration == d("48h")
    path = policy.unreachable
    assert path is not None
    assert path.close_after == d("2wd") and path.reopen_on_contact and path.attempts_before_sms == 1
    closing = policy.clock("unreachable_close")
    assert closing.starts == ClockEvent.UNREACHABLE_SMS_SENT and closing.duration == d("2wd")
    assert closing.on_breach[0].do == "close"
    sms = policy.messages.unreachable_sms
    assert sms is not None and "96533" in sms.zh and "{number}" in sms.zh and "{number}" in sms.en
    assert "回拨您电话未接通" in sms.zh
    judgement = policy.judgement
    assert judgement is not None
    assert judgement.appeal_within == d("7d")
    assert judgement.second_review_within == d("1wd")
    assert judgement.review_role == Role.SUPERVISOR
    assert [option.code for option in judgement.valid] == ["major", "service", "business", "service_error"]
    assert {option.code for option in judgement.invalid} == {
        "excessive_demand",
        "harassment",
        "untrue",
        "system_fault",
        "knowledge_base_error",
        "branch_error",
        "recording_unavailable",
    }
    assert judgement.staff_pays == ["business"]
    visit = policy.return_visit
    assert visit is not None
    assert SatisfactionOutcome.DIFFICULT in {point.outcome for point in visit.scale}
    assert all(category.about_staff for category in policy.categories)


# --- seed 002: insurer ---------------------------------------------------------------------------


def test_insurer_numbers() -> None:
    policy = preset("insurer")
    assert (policy.reasons.intake_depth, policy.reasons.root_cause_depth) == (3, 4)
    register = policy.clock("regulator_register")
    assert register.duration == d("1wd") and register.applies.channels == ["regulator_12378"]
    violation = policy.clock("violation_report")
    assert violation.duration == d("3wd") and violation.stops == [ClockEvent.VIOLATION_REPORTED]
    assert violation.applies.flags == ["violation"]
    assert policy.department("group_audit").kind == "audit"
    kinds = {channel.kind for channel in policy.channels}
    assert {ChannelKind.PHONE, ChannelKind.SOCIAL, ChannelKind.WEB, ChannelKind.APP} <= kinds
    assert {ChannelKind.WALK_IN, ChannelKind.LETTER, ChannelKind.REGULATOR} <= kinds
    assert policy.level("major").supervisor == Role.VP


def test_insurer_taxonomy_is_four_levels_deep() -> None:
    policy = preset("insurer")
    depth_four = 0
    for level1 in policy.reasons.tree:
        for level2 in level1.children:
            for level3 in level2.children:
                assert level3.children, level3.code
                depth_four += len(level3.children)
    assert depth_four >= 40
    assert {node.code for node in policy.reasons.tree} >= {"sales", "underwriting", "claims", "service"}


# --- seed 002: scenic area -----------------------------------------------------------------------


def test_scenic_area_numbers() -> None:
    policy = preset("scenic_area")
    assert policy.clock("register").duration == d("1h")
    assert policy.clock("initial_investigation").duration == d("2h")
    implement = policy.clock("implement_solution")
    assert implement.duration == d("3wd") and implement.starts == ClockEvent.PLAN_APPROVED
    assert implement.extension is not None and implement.extension.approver == Role.SUPERVISOR
    tell = policy.clock("tell_result")
    assert tell.duration == d("1wd") and tell.starts == ClockEvent.SOLUTION_IMPLEMENTED
    assert policy.publication is not None
    final = policy.clock("final_reply")
    assert final.promise and final.extension is not None
    assert final.extension.approver == Role.SUPERVISOR


# --- seed 003: dealer network --------------------------------------------------------------------


def test_dealer_network_numbers() -> None:
    policy = preset("dealer_network")
    response = policy.clock("dealer_response")
    assert response.duration == d("24h") and response.promise
    escalate = policy.clock("escalate_to_hq")
    assert escalate.duration == d("48h") and ClockEvent.ESCALATED_TO_HQ in escalate.stops
    visit = policy.return_visit
    assert visit is not None
    assert visit.coverage == "all" and not visit.no_visit_needed
    assert {point.outcome for point in visit.scale if point.code != "satisfied"} == {SatisfactionOutcome.DEALER}
    assert policy.customer_profile == [
        "customer.name",
        "customer.address",
        "customer.phone",
        "product.model",
        "product.purchase_date",
        "product.place_of_purchase",
    ]
    reports = {report.code: report for report in policy.reports}
    assert reports["dealer_customer_files"].by_day == 5
    assert reports["regional_summary"].by_day == 8
    keep = {rule.record: rule.keep for rule in policy.retention}
    two_years = Duration(amount=2, unit=Unit.YEARS)
    assert keep["product_acceptance_certificate"] == two_years
    assert keep["installation_environment_table"] == two_years
    assert keep["installation_quality_certificate"] == two_years
    assert keep["complaint_form"] == "long_term"
    assert keep["investigation_report"] == "long_term"
    assert keep["after_sales_confirmation"] == "long_term"
    locations = {rule.record: rule.location for rule in policy.retention}
    assert locations["complaint_form"] is not None and locations["complaint_form"].en == "Marketing headquarters"
    assert policy.department("dealer").work_order_due == d("24h")


# --- seed 004: IPTV ------------------------------------------------------------------------------


def test_iptv_numbers() -> None:
    policy = preset("iptv")
    assert policy.level("orange").supervisor == Role.QC_MANAGER
    assert policy.level("red").supervisor == Role.CS_HEAD
    assert policy.level("orange").rank < policy.level("red").rank
    assert [level.code for level in policy.levels_by_rank()] == ["blue", "yellow", "orange", "red"]
    for code in ("yellow", "orange", "red"):
        assert policy.level(code).compensation_limit is not None
    assert policy.clock("resolve_orange").on_breach[0].to[0] == "qc_manager"
    assert policy.clock("resolve_red").on_breach[0].to[0] == "cs_head"
    assert policy.work_order_priority == "high"
    assert {department.label.zh for department in policy.departments} == {
        "技术中心NOC一线团队",
        "技术中心APP二线团队",
        "技术中心CDN团队",
        "互联网事业部",
        "内容产品部",
        "增值业务部",
    }
    no_fault = [item for item in policy.responsibility if item.answer_from_knowledge_base]
    assert [item.code for item in no_fault] == ["no_fault"]
    assert policy.messages.no_fault_reply is not None
    kinds = {channel.code: channel.kind for channel in policy.channels}
    assert kinds["walk_in"] == ChannelKind.WALK_IN and kinds["call_centre"] == ChannelKind.CALL_CENTRE
    assert kinds["broadcasting_regulator"] == ChannelKind.REGULATOR
