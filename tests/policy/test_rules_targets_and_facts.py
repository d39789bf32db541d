"""Primary complaint target by priority, completeness of required facts, the reason taxonomy and
routing a root cause to its responsible body."""

from __future__ import annotations

from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st
from policy_testkit import mini_policy

from complaintdesk.policy.load import load_preset
from complaintdesk.policy.rules import (
    completeness,
    fact_by_code,
    primary_target,
    reason_children,
    reason_path,
    responsible_department,
)
from complaintdesk.policy.schema import Policy

MINI = mini_policy()


@cache
def preset(name: str) -> Policy:
    return load_preset(name).policy


# --- primary target ----------------------------------------------------------------------------


def test_phone_maker_priority_order() -> None:
    policy = preset("phone_maker")
    order = ["company", "incident", "sc", "cc", "product", "concept_store", "dealer"]
    for index, code in enumerate(order):
        assert primary_target(policy, order[index:][::-1]) == code


def test_sc_beats_cc_and_dealer() -> None:
    assert primary_target(preset("phone_maker"), ["dealer", "cc", "sc"]) == "sc"


def test_no_known_target_gives_none() -> None:
    assert primary_target(MINI, []) is None
    assert primary_target(MINI, ["martians"]) is None


def test_unknown_targets_are_ignored() -> None:
    assert primary_target(MINI, ["martians", "product"]) == "product"


TARGET_LISTS = st.lists(st.sampled_from(["company", "store", "product", "unknown", "other"]), max_size=8)


@settings(deadline=None)
@given(TARGET_LISTS)
def test_primary_target_is_named_and_has_minimal_priority(targets: list[str]) -> None:
    priorities = {target.code: target.priority for target in MINI.targets}
    primary = primary_target(MINI, targets)
    known = [code for code in targets if code in priorities]
    if not known:
        assert primary is None
        return
    assert primary in targets
    assert priorities[primary] == min(priorities[code] for code in known)


@settings(deadline=None)
@given(TARGET_LISTS, st.randoms())
def test_primary_target_does_not_depend_on_order(targets: list[str], random: object) -> None:
    shuffled = list(targets)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert primary_target(MINI, shuffled) == primary_target(MINI, targets)


@settings(deadline=None)
@given(st.data())
def test_primary_target_on_every_presets_targets(data: st.DataObject) -> None:
    for name in ("phone_maker", "pc_maker", "insurer", "iptv"):
        policy = preset(name)
        codes = [target.code for target in policy.targets]
        chosen = data.draw(st.lists(st.sampled_from(codes), min_size=1, max_size=5))
        best = min(chosen, key=lambda code: policy.target(code).priority)
        assert primary_target(policy, chosen) == best


# --- completeness ------------------------------------------------------------------------------


def product_category() -> object:
    return MINI.category("product")


def test_everything_missing() -> None:
    result = completeness(MINI.category("product"), facts={}, notes={}, bound={}, channel="phone")
    assert result.required == ("model", "imei", "story")
    assert result.missing == ("model", "imei", "story")
    assert result.present == ()
    assert not result.complete


def test_present_noted_and_missing() -> None:
    result = completeness(
        MINI.category("product"),
        facts={"story": "It reboots every hour"},
        notes={"imei": "The customer has lost the box and the phone"},
        bound={"product.model": "R9s"},
        channel="phone",
    )
    assert result.present == ("model", "story")
    assert result.noted == ("imei",)
    assert result.missing == ()
    assert result.complete


def test_bound_field_satisfies_the_fact() -> None:
    result = completeness(
        MINI.category("product"),
        facts={"story": "x"},
        notes={},
        bound={"product.model": "R9 Plus", "product.imei": "490154203237518"},
        channel="phone",
    )
    assert result.complete
    assert set(result.present) == {"model", "imei", "story"}


def test_empty_bound_field_falls_back_to_the_fact_value() -> None:
    result = completeness(
        MINI.category("product"),
        facts={"model": "R9", "imei": "490154203237518", "story": "x"},
        notes={},
        bound={"product.model": "   ", "product.imei": None},
        channel="phone",
    )
    assert result.complete


def test_note_is_not_accepted_where_the_fact_forbids_it() -> None:
    result = completeness(
        MINI.category("product"),
        facts={"story": "x"},
        notes={"model": "Customer does not know", "imei": "Not available"},
        bound={},
        channel="phone",
    )
    assert result.missing == ("model",)
    assert result.noted == ("imei",)


def test_blank_values_and_blank_notes_count_as_missing() -> None:
    result = completeness(MINI.category("product"), facts={"story": "  \n "}, notes={"imei": " "}, bound={},
                          channel="phone")
    assert result.missing == ("model", "imei", "story")


def test_optional_facts_are_never_missing_but_count_when_present() -> None:
    empty = completeness(MINI.category("product"), facts={}, notes={}, bound={}, channel="phone")
    assert "extra" not in empty.required and "extra" not in empty.missing
    given_extra = completeness(MINI.category("product"), facts={"extra": "more"}, notes={}, bound={}, channel="phone")
    assert "extra" in given_extra.present and "extra" not in given_extra.required


def test_phone_maker_serious_safety_needs_emotion_and_device_whereabouts() -> None:
    category = preset("phone_maker").category("serious_safety")
    result = completeness(
        category,
        facts={"complainant_identity": "teacher", "fault": "burnt", "incident_time_place": "home, 2am", "harm": "burn"},
        notes={"purchase_date": "gift, unknown"},
        bound={
            "product.model": "A5",
            "product.imei": "490154203237518",
            "customer.address": "Jakarta",
        },
        channel="phone",
    )
    assert result.missing == ("device_whereabouts", "emotion")
    assert fact_by_code(category, "device_whereabouts") is not None
    assert fact_by_code(category, "nothing") is None


def test_a_fact_required_through_some_doors_only() -> None:
    """002 retail 叁.二: a phone complaint is recorded with when and where (``channels: [phone]``);
    through another door the fact is asked, counted when given, never missing."""
    category = preset("hypermarket").category("checkout_price")
    facts = {"receipt": "No. 88", "what_happened": "charged twice"}
    bound = {"product.model": "牛奶 6901234567890"}
    by_phone = completeness(category, facts=facts, notes={}, bound=bound, channel="phone")
    assert by_phone.missing == ("when_where",) and "when_where" in by_phone.required
    noted = completeness(category, facts=facts, notes={"when_where": "the customer hung up"}, bound=bound,
                         channel="phone")
    assert noted.complete and noted.noted == ("when_where",)
    at_the_desk = completeness(category, facts=facts, notes={}, bound=bound, channel="service_desk")
    assert at_the_desk.complete and "when_where" not in at_the_desk.required
    given = completeness(category, facts={**facts, "when_where": "收银台 12"}, notes={}, bound=bound,
                         channel="service_desk")
    assert "when_where" in given.present and "when_where" not in given.required


FACT_CODES = ["model", "imei", "story", "extra"]
VALUES = st.sampled_from(["", " ", "value", None])


@settings(deadline=None)
@given(
    st.dictionaries(st.sampled_from(FACT_CODES), VALUES),
    st.dictionaries(st.sampled_from(FACT_CODES), st.sampled_from(["", "why", "  "])),
    st.dictionaries(st.sampled_from(["product.model", "product.imei"]), VALUES),
)
def test_required_facts_are_partitioned(
    facts: dict[str, object], notes: dict[str, str], bound: dict[str, object]
) -> None:
    result = completeness(MINI.category("product"), facts=facts, notes=notes, bound=bound, channel="phone")
    required = set(result.required)
    present_required = required & set(result.present)
    assert present_required | set(result.noted) | set(result.missing) == required
    assert not (present_required & set(result.noted))
    assert not (set(result.noted) & set(result.missing))
    assert "model" not in result.noted
    assert result.complete == (not result.missing)


# --- reasons -----------------------------------------------------------------------------------


def test_reason_path_and_children() -> None:
    path = reason_path(MINI, ["quality", "screen"])
    assert path is not None
    assert [node.code for node in path] == ["quality", "screen"]
    assert reason_path(MINI, ["quality", "keyboard"]) is None
    assert reason_path(MINI, []) == []
    assert [node.code for node in reason_children(MINI, [])] == ["quality"]
    assert [node.code for node in reason_children(MINI, ["quality"])] == ["battery", "screen"]
    assert reason_children(MINI, ["nowhere"]) == []


def test_responsible_department_is_the_deepest_named() -> None:
    assert responsible_department(MINI, reason=["quality", "battery"]) == "sc"
    assert responsible_department(MINI, reason=["quality", "screen"]) == "hq"
    assert responsible_department(MINI, reason=["quality"]) == "sc"
    assert responsible_department(MINI, reason=[]) is None
    assert responsible_department(MINI, reason=["nowhere"], category="product") is None


def test_insurer_routes_one_root_cause_to_its_body() -> None:
    policy = preset("insurer")
    claim = ["claims", "claim_timeliness", "slow_payment", "bank_details_error"]
    assert responsible_department(policy, reason=claim) == "finance"
    assert responsible_department(policy, reason=claim[:3]) == "claims"
    sales = ["sales", "sales_misleading", "hidden_exclusions", "exclusion_not_explained"]
    assert responsible_department(policy, reason=sales) == "sales_management"
    privacy = ["service", "privacy", "data_leak", "internal_leak"]
    assert responsible_department(policy, reason=privacy) == "legal_compliance"


def test_category_department_is_the_fallback() -> None:
    policy = preset("pc_maker")
    assert responsible_department(policy, category="batch_quality") == "quality"
    assert responsible_department(policy, reason=["service", "repair"], category="batch_quality") == "repair_station"
    assert responsible_department(policy, category="other") is None
    assert responsible_department(policy, category="unknown") is None
