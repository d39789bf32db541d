"""Broken policy files: every problem is reported with its message at the right line."""

from __future__ import annotations

from pathlib import Path

import pytest
from policy_testkit import MINI, line_of, mini_policy, problems_of, replace_once, write

from complaintdesk.policy.load import PolicyError, load_policy, load_preset, parse_policy_text, resolve


def one_problem(text: str) -> tuple[int, str]:
    problems = problems_of(text)
    assert len(problems) == 1, problems
    return problems[0].line, problems[0].message


def test_the_base_text_is_valid() -> None:
    policy = mini_policy()
    assert policy.id == "mini"
    assert [level.code for level in policy.levels_by_rank()] == ["low", "mid", "high"]


def test_yaml_syntax_error_is_reported_at_its_line() -> None:
    text = replace_once(MINI, "name: {zh: 测试政策, en: Test policy}", "name: {zh: 测试政策, en: Test: policy}")
    line, message = one_problem(text)
    assert line == line_of(text, "Test: policy")
    assert message.startswith("YAML: ")


def test_tab_indentation_is_a_yaml_error_at_its_line() -> None:
    text = replace_once(MINI, "default_level: low\n", "default_level: low\n\tstray: tab\n")
    line, message = one_problem(text)
    assert line == line_of(text, "stray: tab")
    assert "YAML" in message


def test_unknown_key_is_reported_at_the_key() -> None:
    text = replace_once(MINI, "    min_units: 5\n", "    min_units: 5\n    minimum_units: 5\n")
    line, message = one_problem(text)
    assert line == line_of(text, "minimum_units")
    assert message == "triggers[5].minimum_units: unknown key (not part of the policy language)"


def test_unknown_top_level_key() -> None:
    text = MINI + "colour_scheme: dark\n"
    line, message = one_problem(text)
    assert line == line_of(text, "colour_scheme")
    assert "unknown key" in message


def test_wrong_type_is_reported_at_the_key() -> None:
    text = replace_once(MINI, "    rank: 2\n", "    rank: second\n")
    line, message = one_problem(text)
    assert line == line_of(text, "rank: second")
    assert message.startswith("levels[1].rank: ")
    assert "integer" in message


def test_bad_duration_names_the_shorthand() -> None:
    text = replace_once(MINI, "    duration: 24h\n", "    duration: 24hours\n")
    line, message = one_problem(text)
    assert line == line_of(text, "duration: 24hours")
    assert "invalid duration '24hours'" in message
    assert message.startswith("clocks[0].duration: ")


@pytest.mark.parametrize("value", ["3x", "h24", "-1d", "1.5h", "wd"])
def test_every_malformed_duration_is_refused(value: str) -> None:
    text = replace_once(MINI, "    duration: 24h\n", f'    duration: "{value}"\n')
    line, message = one_problem(text)
    assert line == line_of(text, "    duration: ")
    assert "invalid duration" in message


def test_unknown_level_in_a_trigger() -> None:
    text = replace_once(MINI, "    level: mid\n    label: {zh: 在线", "    level: severe\n    label: {zh: 在线")
    line, message = one_problem(text)
    assert line == line_of(text, "level: severe")
    assert message == "triggers[1].level: unknown level 'severe'; known: high, low, mid"


def test_unknown_default_level() -> None:
    text = replace_once(MINI, "default_level: low", "default_level: lowest")
    line, message = one_problem(text)
    assert line == line_of(text, "default_level")
    assert "unknown level 'lowest'" in message


def test_unknown_flag_channel_category_and_identity_in_triggers() -> None:
    text = replace_once(MINI, "    flags: [hazard]\n", "    flags: [hazzard]\n")
    text = replace_once(text, "    channels: [press]\n", "    channels: [newspaper]\n")
    text = replace_once(text, "    special_identities: [vip]\n", "    special_identities: [king]\n")
    text = replace_once(text, "    categories: [dealer]\n", "    categories: [reseller]\n")
    problems = problems_of(text)
    by_line = {problem.line: problem.message for problem in problems}
    assert "unknown flag 'hazzard'" in by_line[line_of(text, "flags: [hazzard]")]
    assert "unknown channel 'newspaper'" in by_line[line_of(text, "channels: [newspaper]")]
    assert "unknown special identity 'king'" in by_line[line_of(text, "special_identities: [king]")]
    assert "unknown category 'reseller'" in by_line[line_of(text, "categories: [reseller]")]
    assert len(problems) == 4


def test_duplicate_code_is_reported_at_the_second_item() -> None:
    text = replace_once(
        MINI,
        "  - {code: press, kind: media, label: {zh: 媒体, en: Press}}",
        "  - {code: phone, kind: media, label: {zh: 媒体, en: Press}}",
    )
    text = replace_once(text, "    channels: [press]\n", "    channels: [phone]\n")
    line, message = one_problem(text)
    assert line == line_of(text, "code: phone", occurrence=2)
    assert message == "channels[2].code: duplicate code 'phone' (also item 0)"


def test_duplicate_fact_code_points_at_the_fact() -> None:
    text = replace_once(
        MINI,
        "      - {code: extra, required: false,",
        "      - {code: story, required: false,",
    )
    line, message = one_problem(text)
    assert line == line_of(text, "{code: story, required: false")
    assert message == "categories[0].facts[3].code: duplicate code 'story' (also item 2)"


def test_duplicate_rank_and_priority() -> None:
    text = replace_once(MINI, "    rank: 3\n", "    rank: 2\n")
    text = replace_once(text, "{code: product, priority: 3,", "{code: product, priority: 2,")
    problems = problems_of(text)
    messages = {problem.message for problem in problems}
    assert "levels[2].rank: duplicate rank 2 (also item 1)" in messages
    assert "targets[2].priority: duplicate priority 2 (also item 1)" in messages


def test_duplicate_key_is_a_yaml_error_at_the_second_key() -> None:
    text = replace_once(MINI, "default_level: low\n", "default_level: low\ndefault_level: mid\n")
    line, message = one_problem(text)
    assert line == line_of(text, "default_level: mid")
    assert "duplicate key 'default_level' (first on line" in message
    assert f"line {line_of(text, 'default_level: low')})" in message


def test_duplicate_key_inside_a_flow_mapping() -> None:
    text = replace_once(
        MINI,
        "{code: gift, rank: 1, label:",
        "{code: gift, rank: 1, rank: 4, label:",
    )
    line, message = one_problem(text)
    assert line == line_of(text, "rank: 4")
    assert "duplicate key 'rank'" in message


@pytest.mark.parametrize("placeholder", ["{number}", "{received_at}", "{reply_by}"])
def test_acknowledgement_must_carry_each_placeholder(placeholder: str) -> None:
    english = 'en: "Number {number}, received {received_at}, reply by {reply_by}"'
    text = replace_once(MINI, english, english.replace(placeholder, "soon"))
    line, message = one_problem(text)
    assert line == line_of(text, '    en: "Number')
    assert message == f"messages.acknowledgement.en: the acknowledgement must contain {placeholder}"


def test_missing_placeholder_in_chinese_is_reported_at_zh() -> None:
    text = replace_once(MINI, "答复 {reply_by}", "尽快答复")
    line, message = one_problem(text)
    assert line == line_of(text, "尽快答复")
    assert message.endswith("must contain {reply_by}")


def test_approval_limits_out_of_order() -> None:
    text = replace_once(MINI, "    - {up_to: 300, role: supervisor}\n", "    - {up_to: 50, role: supervisor}\n")
    line, message = one_problem(text)
    assert line == line_of(text, "  limits:")
    assert "strictly ascending order of up_to (50 comes after 100)" in message


def test_approval_limit_without_bound_must_be_last() -> None:
    text = replace_once(MINI, "    - {up_to: 300, role: supervisor}\n", "    - {role: supervisor}\n")
    line, message = one_problem(text)
    assert line == line_of(text, "  limits:")
    assert "only the last approval limit may be without an upper bound" in message


def test_approval_role_listed_twice() -> None:
    text = replace_once(MINI, "    - {up_to: 300, role: supervisor}\n", "    - {up_to: 300, role: specialist}\n")
    _line, message = one_problem(text)
    assert "listed more than once" in message


def test_unknown_role_in_approval() -> None:
    text = replace_once(MINI, "{up_to: 300, role: supervisor}", "{up_to: 300, role: boss}")
    line, message = one_problem(text)
    assert line == line_of(text, "role: boss")
    assert message.startswith("approval.limits[1].role: ")


def test_missing_required_key_points_at_the_enclosing_item() -> None:
    text = replace_once(MINI, "    duration: 24h\n", "")
    line, message = one_problem(text)
    assert line == line_of(text, "  - code: reply")
    assert message == "clocks[0].duration: required key is missing"


def test_missing_top_level_key() -> None:
    text = replace_once(MINI, "default_level: low\n", "")
    line, message = one_problem(text)
    assert line == 1
    assert message == "default_level: required key is missing"


SECOND = ("  - code: second\n    label: {zh: 二, en: Two}\n    starts: registered\n"
          "    stops: [customer_replied]\n    duration: 3d\n    promise: true\n")


def test_two_promise_clocks_for_every_complaint() -> None:
    text = replace_once(MINI, "solution_tiers:\n", SECOND + "solution_tiers:\n")
    rule = "with several promise clocks each applies to some channels and to nothing else (applies: {channels: [...]})"
    assert [p.message for p in problems_of(text)] == [f"clocks[0].applies: {rule}", f"clocks[1].applies: {rule}"]


@pytest.mark.parametrize(("first", "second", "message"), [
    ("[phone, web]", "[web, press]",
     "clocks[1].applies.channels: channel 'web' has two promise clocks: reply and second"),
    ("[phone]", "[web]", "clocks: channel 'press' has no promise clock (the reply time told to the customer)"),
])
def test_one_promise_clock_for_each_door(first: str, second: str, message: str) -> None:
    text = replace_once(MINI, "    promise: true\nsolution_tiers:\n",
                        f"    promise: true\n    applies: {{channels: {first}}}\nsolution_tiers:\n")
    text = replace_once(text, "solution_tiers:\n", SECOND + f"    applies: {{channels: {second}}}\nsolution_tiers:\n")
    assert [p.message for p in problems_of(text)] == [message]


def test_one_promise_clock_for_each_door_is_valid() -> None:
    text = replace_once(MINI, "    promise: true\nsolution_tiers:\n",
                        "    promise: true\n    applies: {channels: [phone]}\nsolution_tiers:\n")
    text = replace_once(text, "solution_tiers:\n", SECOND + "    applies: {channels: [web, press]}\nsolution_tiers:\n")
    policy = parse_policy_text(text, "two-doors.yaml")
    assert [(c.code, c.applies.channels) for c in policy.clocks if c.promise] == [
        ("reply", ["phone"]), ("second", ["web", "press"])]


def test_no_promise_clock() -> None:
    text = replace_once(MINI, "    promise: true\n", "")
    _line, message = one_problem(text)
    assert "one clock must be marked promise: true" in message


def test_clock_cannot_stop_on_its_own_start() -> None:
    text = replace_once(MINI, "    stops: [resolved]\n", "    stops: [registered]\n")
    line, message = one_problem(text)
    assert line == line_of(text, "stops: [registered]")
    assert "cannot stop on the event that starts it" in message


def test_unknown_clock_event() -> None:
    text = replace_once(MINI, "    starts: registered\n", "    starts: born\n")
    line, message = one_problem(text)
    assert line == line_of(text, "starts: born")
    assert message.startswith("clocks[0].starts: ")


def test_unknown_department_on_a_reason_node() -> None:
    text = replace_once(MINI, "en: Screen}, department: hq}", "en: Screen}, department: factory}")
    line, message = one_problem(text)
    assert line == line_of(text, "department: factory")
    assert "unknown department 'factory'" in message


def test_reason_deeper_than_the_root_cause_depth() -> None:
    text = replace_once(MINI, "  root_cause_depth: 2\n", "  root_cause_depth: 1\n")
    problems = problems_of(text)
    assert {problem.line for problem in problems} == {
        line_of(text, "code: battery"),
        line_of(text, "code: screen"),
    }
    assert all("deeper than root_cause_depth 1" in problem.message for problem in problems)


def test_unreachable_path_needs_its_sms() -> None:
    text = MINI + "unreachable:\n  close_after: 2wd\n"
    _line, message = one_problem(text)
    assert message == "messages: the unreachable path needs messages.unreachable_sms"


def test_judgement_staff_pays_must_name_a_valid_judgement() -> None:
    text = MINI + (
        "judgement:\n"
        "  valid: [{code: service, label: {zh: 服务, en: Service}}]\n"
        "  invalid: [{code: harassment, label: {zh: 骚扰, en: Harassment}}]\n"
        "  appeal_within: 7d\n"
        "  second_review_within: 1wd\n"
        "  staff_pays: [business]\n"
    )
    line, message = one_problem(text)
    assert line == line_of(text, "staff_pays")
    assert "unknown valid judgement 'business'" in message


def test_customer_profile_field_must_exist() -> None:
    text = MINI + "customer_profile: [customer.name, customer.shoe_size]\n"
    line, message = one_problem(text)
    assert line == line_of(text, "customer_profile")
    assert "unknown field 'customer.shoe_size'" in message


def test_report_by_day_needs_a_monthly_period() -> None:
    text = MINI + ("reports:\n  - code: weekly\n    label: {zh: 周报, en: Weekly}\n    every: monday\n    by_day: 5\n")
    line, message = one_problem(text)
    assert line == line_of(text, "  - code: weekly")
    assert "by_day only applies to monthly or longer periods" in message


def test_major_team_names_defined_departments() -> None:
    text = MINI + (
        "major_team:\n"
        "  members: [quality]\n"
        "  chair: quality\n"
        "  departments: [sc, lab]\n"
    )
    problems = problems_of(text)
    messages = sorted(problem.message for problem in problems)
    assert len(messages) == 1
    assert any("unknown department 'lab'" in m for m in messages)


def test_knowledge_base_answers_need_a_no_fault_reply() -> None:
    text = MINI + (
        "responsibility:\n"
        "  - code: no_fault\n"
        "    label: {zh: 无责, en: No fault}\n"
        "    company_at_fault: false\n"
        "    answer_from_knowledge_base: true\n"
    )
    _line, message = one_problem(text)
    assert "needs messages.no_fault_reply" in message


def test_every_problem_is_listed_at_once() -> None:
    text = replace_once(MINI, "default_level: low", "default_level: lowest")
    text = replace_once(text, "    level: mid\n    label: {zh: 在线", "    level: severe\n    label: {zh: 在线")
    problems = problems_of(text)
    assert len(problems) == 2
    assert [problem.line for problem in problems] == sorted(problem.line for problem in problems)


def test_a_list_is_not_a_policy() -> None:
    line, message = one_problem("- a\n- b\n")
    assert line == 1
    assert message == "a policy file must be a YAML mapping"


def test_an_empty_file_is_not_a_policy() -> None:
    line, message = one_problem("")
    assert (line, message) == (1, "a policy file must be a YAML mapping")


def test_problems_print_as_file_line_message(tmp_path: Path) -> None:
    path = write(tmp_path, replace_once(MINI, "    rank: 2\n", "    rank: second\n"))
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    text = str(caught.value)
    assert text.startswith(f"{path}:{line_of(path.read_text(), 'rank: second')}: levels[1].rank")


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy(tmp_path / "missing.yaml")
    assert caught.value.problems[0].line == 1
    assert "cannot read the file" in caught.value.problems[0].message


def test_unknown_preset_lists_the_presets() -> None:
    with pytest.raises(PolicyError) as caught:
        load_preset("no_such_preset")
    message = caught.value.problems[0].message
    assert "no preset named 'no_such_preset'" in message
    assert "pc_maker" in message


def test_resolve_prefers_files_for_yaml_names(tmp_path: Path) -> None:
    path = write(tmp_path, MINI, "mine.yaml")
    assert resolve(str(path)) == path
    assert resolve("pc_maker").name == "pc_maker.yaml"


def test_loaded_policy_remembers_its_text_and_hash(tmp_path: Path) -> None:
    path = write(tmp_path, MINI)
    loaded = load_policy(path)
    assert loaded.text == MINI
    assert len(loaded.sha256) == 64
    assert loaded.source == str(path)


def test_control_characters_are_a_yaml_error_on_one_line() -> None:
    line, message = one_problem("id: \x07bell\n")
    assert line == 1
    assert message.startswith("YAML: unacceptable character")
    assert "\n" not in message


def test_union_errors_are_merged_into_one_problem_at_the_key() -> None:
    text = MINI + "retention:\n  - {record: files, keep: forever, label: {zh: 记录, en: Record}}\n"
    line, message = one_problem(text)
    assert line == line_of(text, "keep: forever")
    assert message.startswith("retention[0].keep: invalid duration 'forever'")
    assert message.endswith("; or Input should be 'long_term'")


def test_retention_accepts_long_term_and_durations() -> None:
    text = MINI + (
        "retention:\n"
        "  - {record: forms, keep: 2y, label: {zh: 表单, en: Forms}}\n"
        "  - {record: files, keep: long_term, label: {zh: 档案, en: Files}}\n"
    )
    policy = parse_policy_text(text, "ok.yaml")
    assert [str(rule.keep) for rule in policy.retention] == ["2y", "long_term"]
