"""The policy keys of return visits and judgements (follow-up): the dealer and difficult-customer
departments and flag must exist, a dealer outcome needs its department, and the presets carry the
seeds' rules (003: back to the dealer; 002: the difficult-customer team and flag)."""

from __future__ import annotations

from policy_testkit import MINI, line_of, mini_policy, problems_of

from complaintdesk.policy.load import load_preset
from complaintdesk.policy.schema import Role, SatisfactionOutcome

VISIT = (
    "return_visit:\n"
    "  due: 48h\n"
    "  scale:\n"
    "    - {code: satisfied, label: {zh: 满意, en: Satisfied}}\n"
    "    - {code: unsatisfied, label: {zh: 不满意, en: Unsatisfied}, reason_required: true, outcome: dealer}\n"
    "  callback_failed: {attempts: 3, distinct_days: 3}\n"
)


def test_a_dealer_outcome_needs_the_dealer_department() -> None:
    problems = problems_of(MINI + VISIT)
    assert [p.message for p in problems] == [
        "return_visit.dealer_department: a scale point with outcome dealer needs return_visit.dealer_department"]


def test_the_departments_and_the_flag_must_exist() -> None:
    text = MINI + VISIT + "  dealer_department: reseller\n  difficult_department: hard_cases\n  difficult_flag: tough\n"
    problems = problems_of(text)
    by_line = {p.line: p.message for p in problems}
    assert "unknown department 'reseller'" in by_line[line_of(text, "dealer_department")]
    assert "unknown department 'hard_cases'" in by_line[line_of(text, "difficult_department")]
    assert "unknown flag 'tough'" in by_line[line_of(text, "difficult_flag")]


def test_judges_default_to_the_specialist_and_the_supervisors() -> None:
    assert mini_policy().judgement is None
    policy = load_preset("community_hotline").policy
    assert policy.judgement is not None
    assert policy.judgement.judge_roles == [Role.SPECIALIST, Role.SUPERVISOR, Role.QC_MANAGER, Role.CS_HEAD]


def test_the_dealer_network_sends_unsatisfied_customers_back_to_the_dealer() -> None:
    visit = load_preset("dealer_network").policy.return_visit
    assert visit is not None and visit.dealer_department == "dealer" and visit.coverage == "all"
    assert not visit.no_visit_needed


def test_the_hotlines_difficult_customers_go_to_the_difficult_complaints_team() -> None:
    policy = load_preset("community_hotline").policy
    visit = policy.return_visit
    assert visit is not None
    assert visit.difficult_department == "difficult_team" and visit.difficult_flag == "difficult_customer"
    assert any(point.outcome == SatisfactionOutcome.DIFFICULT for point in visit.scale)
    assert policy.department("difficult_team").work_order_due.amount == 48
