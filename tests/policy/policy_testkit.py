"""Shared helpers for the policy tests: a small valid policy text and ways to break it."""

from __future__ import annotations

from pathlib import Path

from complaintdesk.policy.load import PolicyError, Problem, parse_policy_text
from complaintdesk.policy.schema import Policy

MINI = """\
id: mini
version: "1"
name: {zh: 测试政策, en: Test policy}
organisation: {zh: 测试公司, en: Test company}
number:
  prefix: T
channels:
  - {code: phone, kind: phone, label: {zh: 电话, en: Phone}}
  - {code: web, kind: web, label: {zh: 网站, en: Web}, flags: [online]}
  - {code: press, kind: media, label: {zh: 媒体, en: Press}}
flags:
  - {code: online, label: {zh: 在线, en: Online}}
  - {code: hazard, label: {zh: 隐患, en: Hazard}}
special_identities:
  - {code: vip, label: {zh: 贵宾, en: VIP}}
levels:
  - code: low
    rank: 1
    label: {zh: 低, en: Low}
    definition: {zh: 低, en: Low}
  - code: mid
    rank: 2
    label: {zh: 中, en: Mid}
    definition: {zh: 中, en: Mid}
  - code: high
    rank: 3
    label: {zh: 高, en: High}
    definition: {zh: 高, en: High}
default_level: low
triggers:
  - code: fire
    level: high
    label: {zh: 火, en: Fire}
    keywords:
      zh: [起火, 冒烟]
      en: [fire, tv station]
  - code: online
    level: mid
    label: {zh: 在线, en: Online}
    flags: [online]
  - code: hazard
    level: high
    label: {zh: 隐患, en: Hazard}
    flags: [hazard]
  - code: press
    level: high
    label: {zh: 媒体, en: Press}
    channels: [press]
  - code: vip
    level: mid
    label: {zh: 贵宾, en: VIP}
    special_identities: [vip]
  - code: batch
    level: mid
    label: {zh: 批量, en: Batch}
    min_units: 5
  - code: dealer_cat
    level: mid
    label: {zh: 经销商, en: Dealer}
    categories: [dealer]
targets:
  - {code: company, priority: 1, label: {zh: 公司, en: Company}}
  - {code: store, priority: 2, label: {zh: 门店, en: Store}}
  - {code: product, priority: 3, label: {zh: 产品, en: Product}}
categories:
  - code: product
    group: A
    label: {zh: 产品, en: Product}
    facts:
      - {code: model, field: product.model, note_allowed: false, label: {zh: 型号, en: Model}}
      - {code: imei, type: imei, field: product.imei, label: {zh: IMEI, en: IMEI}}
      - {code: story, type: textarea, label: {zh: 经过, en: Story}}
      - {code: extra, required: false, label: {zh: 补充, en: Extra}}
  - code: dealer
    group: B
    target: store
    label: {zh: 经销商, en: Dealer}
    facts:
      - {code: store_name, label: {zh: 门店, en: Store}}
reasons:
  intake_depth: 1
  root_cause_depth: 2
  tree:
    - code: quality
      label: {zh: 质量, en: Quality}
      department: sc
      children:
        - {code: battery, label: {zh: 电池, en: Battery}}
        - {code: screen, label: {zh: 屏幕, en: Screen}, department: hq}
repeat:
  window_days: 30
reject_reasons:
  - {code: dup, label: {zh: 重复, en: Duplicate}}
departments:
  - {code: sc, kind: service_centre, work_order_due: 1wd, label: {zh: 服务中心, en: SC}}
  - {code: hq, kind: headquarters, work_order_due: 2wd, label: {zh: 总部, en: HQ}}
clocks:
  - code: reply
    label: {zh: 答复, en: Reply}
    starts: registered
    stops: [resolved]
    duration: 24h
    promise: true
solution_tiers:
  - {code: gift, rank: 1, label: {zh: 礼品, en: Gift}}
  - {code: swap, rank: 2, approver: vp, label: {zh: 换货, en: Swap}}
  - {code: lawyer, rank: 3, approver: legal, label: {zh: 法务, en: Legal}}
approval:
  currency: CNY
  limits:
    - {up_to: 100, role: specialist}
    - {up_to: 300, role: supervisor}
    - {up_to: 3000, role: vp}
    - {role: gm}
messages:
  acknowledgement:
    zh: "编号 {number}，受理 {received_at}，答复 {reply_by}"
    en: "Number {number}, received {received_at}, reply by {reply_by}"
"""


def mini_policy() -> Policy:
    return parse_policy_text(MINI, "mini.yaml")


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line number of the ``occurrence``-th line containing ``needle``."""
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} not found {occurrence} times")


def problems_of(text: str, source: str = "broken.yaml") -> list[Problem]:
    try:
        parse_policy_text(text, source)
    except PolicyError as exc:
        return exc.problems
    raise AssertionError("the policy loaded without problems")


def write(tmp_path: Path, text: str, name: str = "policy.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
