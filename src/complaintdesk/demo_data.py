"""Realistic bilingual sample complaints for the demo, registered through the real services.

The scenarios are written for the phone maker's categories; for another preset each scenario is
mapped onto one of that policy's categories and its required facts get plausible values, so every
preset's demo has complaints to look at.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from stdnum import luhn

from complaintdesk.accounts.models import User
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.complaints.services import complaint_register
from complaintdesk.demo_stages import advance
from complaintdesk.policy.schema import FactType, Policy


@dataclass(frozen=True)
class Scenario:
    category: str
    language: str
    reason: str
    description: str
    request: str
    facts: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    channel: str = "hotline"
    origin: str = ""
    targets: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    model: str = ""
    emotion: str = ""
    identity: str = ""


ZH_NAMES = [("王", "建国"), ("李", "秀英"), ("张", "磊"), ("刘", "芳"), ("陈", "杰"), ("杨", "敏"), ("赵", "强"),
            ("黄", "丽"), ("周", "涛"), ("吴", "婷"), ("徐", "明"), ("孙", "燕"), ("马", "超"), ("朱", "琳")]
EN_NAMES = [("Emily", "Carter"), ("James", "Wilson"), ("Aisha", "Rahman"), ("Carlos", "Mendes"), ("Priya", "Nair"),
            ("Tom", "Becker"), ("Sofia", "Rossi"), ("Daniel", "Okafor"), ("Hannah", "Schmidt"), ("Lucas", "Martin")]
MODELS = ["R9s", "R9 Plus", "Reno 8 Pro", "Find X5", "A57", "Reno 10", "A78 5G", "Find N3"]

SCENARIOS: list[Scenario] = [
    Scenario("serious_safety", "zh", "用户投诉手机充电时电池鼓包并冒烟，手被烫伤",
             "用户称昨晚用原装充电器充电时手机发烫、电池鼓包并冒烟，拔下时左手被烫伤，已到医院处理。",
             "要求三天内给出书面解释并赔偿医药费，否则向媒体反映",
             facts={"complainant_identity": "普通消费者", "fault": "充电时电池鼓包、冒烟",
                    "incident_time_place": "昨晚 22:30，家中卧室", "harm": "左手轻度烫伤，已就医",
                    "device_whereabouts": "kept_by_customer"},
             flags=("injury",), model="Reno 8 Pro", emotion="angry", targets=("incident", "product")),
    Scenario("serious_safety", "en", "Customer complains the phone overheated and the battery is swelling",
             "The back cover lifted because the battery swelled; the phone gets abnormally hot during calls.",
             "Wants a replacement device within 48 hours and a safety inspection report",
             facts={"complainant_identity": "Teacher", "fault": "battery swelling, abnormal heat",
                    "incident_time_place": "Monday morning at the office", "harm": "No injury; desk surface scorched",
                    "device_whereabouts": "kept_by_customer"},
             model="Find X5", emotion="anxious", targets=("incident",)),
    Scenario("sc_repair_duration", "zh", "用户投诉服务中心维修时间过长",
             "手机送修已经 15 天仍未取回，网点多次称等待备件，未说明具体到货时间。",
             "要求本周内修好，或者换一台同型号手机",
             facts={"sc_name_location": "上海徐汇服务中心（漕溪北路）", "fault": "无法开机",
                    "sc_communication": "网点称备件缺货，未给出到货时间"},
             model="A57", emotion="angry", targets=("sc",)),
    Scenario("sc_repair_duration", "en", "Customer complains about the long repair time at the service centre",
             "The phone was handed in for a screen replacement three weeks ago and is still not ready.",
             "Wants the phone back by Friday or a loan phone",
             facts={"sc_name_location": "Kuala Lumpur Mid Valley SC", "fault": "Cracked display, touch not working",
                    "sc_communication": "The SC said the part is on back-order but gave no date"},
             model="Reno 10", targets=("sc",)),
    Scenario("sc_repair_quality", "zh", "用户投诉维修后问题依旧，二次返修",
             "更换主板后一周又出现自动重启，第二次送修后仍未解决。",
             "要求退款或换新机",
             facts={"sc_name_location": "广州天河服务中心", "fault": "自动重启", "repair_method": "更换主板",
                    "fault_after_repair": "维修一周后再次频繁重启", "earlier_repairs": "两次：更换主板、刷机"},
             model="Find N3", targets=("sc", "product")),
    Scenario("sc_charges", "en", "Customer disputes the charge quoted by the service centre",
             "The SC quoted 680 CNY for a camera module although the phone is under warranty.",
             "Wants a free repair under warranty",
             facts={"sc_name_location": "Shenzhen Futian SC", "fault": "Rear camera blurred",
                    "charge_reason": "Liquid damage indicator triggered", "quoted_amount": "680",
                    "objection": "The phone was never exposed to water"},
             model="Reno 8 Pro", targets=("sc",)),
    Scenario("sc_service_policy", "zh", "用户不认可服务中心的保修政策判定",
             "网点检测后认为屏幕为人为损坏不予保修，用户认为是自然出现的裂纹。",
             "要求重新检测并免费保修",
             facts={"sc_name_location": "北京朝阳服务中心", "fault": "屏幕出现裂纹",
                    "inspection_result": "判定为外力导致，不在保修范围", "objection": "手机一直带壳使用，未摔过"},
             model="A78 5G", targets=("sc",)),
    Scenario("service_attitude", "zh", "用户投诉呼叫中心坐席服务态度差",
             "用户来电咨询退货流程，坐席语气生硬并主动挂断电话。",
             "要求坐席道歉并给出处理结果",
             facts={"when_where": "今天上午 10 点，热线电话", "staff_identity": "工号 1025，女声",
                    "what_happened": "多次打断用户讲话，未解答即挂机"},
             targets=("cc",), emotion="angry"),
    Scenario("service_attitude", "en", "Customer complains about the attitude of a hotline agent",
             "The agent laughed at the customer's question and refused to transfer the call to a supervisor.",
             "Wants an apology and the agent to be coached",
             facts={"when_where": "Yesterday 16:40, hotline", "staff_identity": "Agent called 'Mike', male voice",
                    "what_happened": "Refused to escalate; ended the call"},
             targets=("cc",)),
    Scenario("dealer", "zh", "用户投诉经销商拒绝七天无理由退货",
             "用户购机第三天申请退货，门店以已激活为由拒绝。",
             "要求按规定退货退款",
             facts={"store_name_location": "苏州观前街授权门店", "complaint_content": "拒绝七天无理由退货",
                    "store_contacted": "yes", "store_answer": "已激活的手机不能退"},
             targets=("dealer",), model="A57"),
    Scenario("dealer", "en", "Customer complains the dealer refused to honour a promotion",
             "The store advertised free earphones with every purchase but refused to give them.",
             "Wants the promised earphones or a 200 CNY refund",
             facts={"store_name_location": "Sunway Pyramid authorised store", "complaint_content":
                    "Promotion not honoured", "store_contacted": "yes", "store_answer": "Promotion ended"},
             targets=("dealer",), model="Reno 10"),
    Scenario("product", "zh", "用户投诉系统升级后耗电异常",
             "升级到最新版本后，待机一晚掉电 40%，已恢复出厂设置仍未改善。",
             "要求提供降级方案或更换电池",
             facts={"fault_scenario": "系统升级后待机耗电快", "troubleshooting": "恢复出厂设置、关闭后台应用",
                    "repair_history": "未送修"},
             targets=("product",), model="Find X5"),
    Scenario("product", "en", "Customer complains the phone drops calls after the last update",
             "Since the update calls drop after about a minute; happens with two different SIM cards.",
             "Wants a fix within one week or a refund",
             facts={"fault_scenario": "Calls drop after ~60 s since the update", "troubleshooting":
                    "Swapped SIM, reset network settings", "repair_history": "No earlier repair"},
             targets=("product",), model="A78 5G"),
    Scenario("other_service", "zh", "用户投诉预约上门服务未按时到达",
             "预约下午两点上门，工程师未到也未通知，用户请假在家等候。",
             "要求说明原因并补偿误工",
             facts={"parties_involved": "杭州西湖服务中心上门工程师", "what_happened": "失约未通知"},
             targets=("sc",)),
    Scenario("other_service", "en", "Customer complains the e-mail support never answered",
             "Three e-mails over ten days received only the automatic reply.",
             "Wants an answer to the warranty question today",
             facts={"parties_involved": "E-mail support team", "what_happened": "No answer to three e-mails"},
             channel="email", targets=("cc",)),
    Scenario("product", "en", "Customer posted on Facebook that the phone caught fire",
             "The customer's post says the phone caught fire while charging overnight and went viral.",
             "Wants a public answer and a full refund",
             facts={"fault_scenario": "Fire while charging overnight", "troubleshooting": "Nothing tried yet",
                    "repair_history": "No earlier repair"},
             channel="facebook", origin="facebook.com/emily.carter.92", flags=("social_media_published",),
             targets=("company", "incident", "product"), model="Reno 8 Pro"),
]


def _imei(rng: random.Random) -> str:
    body = "35" + "".join(str(rng.randint(0, 9)) for _ in range(12))
    return body + luhn.calc_check_digit(body)


def _phone(rng: random.Random, english: bool) -> str:
    if english:
        return f"+60 12-{rng.randint(200, 999)} {rng.randint(1000, 9999)}"
    return f"{rng.choice(['138', '139', '136', '150', '186', '135', '177'])}{rng.randint(10000000, 99999999)}"


def _fill(policy: Policy, category_code: str, scenario: Scenario, rng: random.Random,
          when: datetime) -> dict[str, str]:
    """Facts for the category: the scenario's where they fit, plausible values for the rest."""
    category = policy.category(category_code)
    out: dict[str, str] = {}
    for fact in category.facts:
        if fact.field not in (None, "units"):  # a fact bound to the units is entered as a fact
            continue
        if fact.code in scenario.facts and (fact.type != FactType.CHOICE or scenario.facts[fact.code] in
                                            {o.code for o in fact.options}):
            out[fact.code] = scenario.facts[fact.code]
        elif fact.type == FactType.CHOICE:
            out[fact.code] = fact.options[0].code
        elif fact.type == FactType.BOOLEAN:
            out[fact.code] = "yes"
        elif fact.type == FactType.DATE:
            out[fact.code] = (when - timedelta(days=rng.randint(3, 30))).date().isoformat()
        elif fact.type == FactType.DATETIME:
            out[fact.code] = (when - timedelta(days=rng.randint(1, 5))).strftime("%Y-%m-%d %H:%M")
        elif fact.type in {FactType.NUMBER, FactType.MONEY}:
            out[fact.code] = str(rng.choice([120, 280, 680, 1500]))
        elif fact.type == FactType.IMEI:
            out[fact.code] = _imei(rng)
        elif fact.type == FactType.PHONE:
            out[fact.code] = _phone(rng, False)
        elif fact.required and rng.random() < 0.8:
            out[fact.code] = scenario.description[:60]
    return out


def demo_registration(policy: Policy, index: int, rng: random.Random, now: datetime, *,
                      phone: str | None = None) -> tuple[dict[str, Any], datetime]:
    """The registration of the ``index``-th demo complaint (its fields for ``ComplaintIn``) and when
    it was received."""
    scenario = SCENARIOS[index % len(SCENARIOS)]
    english = scenario.language == "en"
    category_codes = [c.code for c in policy.categories]
    channels = [c.code for c in policy.channels if not c.requires_origin] or [policy.channels[0].code]
    category = (scenario.category if scenario.category in category_codes
                else category_codes[index % len(category_codes)])
    if english:
        given, family = rng.choice(EN_NAMES)
    else:
        family, given = rng.choice(ZH_NAMES)
    channel = scenario.channel if scenario.channel in {c.code for c in policy.channels} else rng.choice(channels)
    origin = scenario.origin
    if policy.channel(channel).requires_origin and not origin:
        origin = "@" + given.lower()
    targets = [t for t in scenario.targets if t in {x.code for x in policy.targets}]
    if not targets and not policy.category(category).target:
        targets = [rng.choice(policy.targets).code]
    flags = [f for f in scenario.flags if f in {x.code for x in policy.flags}]
    when = now - timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 9), minutes=rng.randint(0, 59))
    facts = _fill(policy, category, scenario, rng, when)
    if index % 7 == 3 and facts:
        facts.pop(next(iter(facts)))  # some registrations are incomplete, as in real life
    phone = phone or _phone(rng, english)
    data = {
        "customer": {"title": rng.choice(["mr", "ms"]), "first_name": given, "last_name": family, "phone": phone,
                     "email": f"{given.lower()}.{family.lower()}@example.com" if english else "",
                     "address": "Kuala Lumpur" if english else "上海市徐汇区",
                     "emotion": scenario.emotion if scenario.emotion in {e.code for e in policy.emotions} else "",
                     "language": "en" if english else "zh-hans"},
        "product": {"model": scenario.model or rng.choice(MODELS), "imei": _imei(rng),
                    "purchase_date": (when - timedelta(days=rng.randint(20, 400))).date().isoformat(),
                    "purchase_date_approximate": index % 5 == 0,
                    "place_of_purchase": "Official online store" if english else "官方网上商城"},
        "channel": channel, "case_origin": origin, "category": category, "targets": targets,
        "reason_codes": _reason_path(policy, rng),
        "reason": scenario.reason, "description": scenario.description, "customer_request": scenario.request,
        "facts": facts, "missing_notes": dict(scenario.notes), "flags": flags,
        "received_at": when.isoformat(),
    }
    return data, when


@transaction.atomic
def seed_demo(policy: Policy, *, count: int = 32, seed: int = 20261123) -> int:
    """Register ``count`` complaints spread over the last weeks (only into an empty database)."""

    if Complaint.objects.exists():
        return 0
    rng = random.Random(seed)
    registrars = [u for u in (User.objects.filter(username=n).first() for n in ("agent", "specialist")) if u]
    if not registrars:
        return 0
    now = timezone.now()
    made = 0
    repeat_phone = _phone(rng, False)
    registered: list[Any] = []
    for index in range(count):
        data, when = demo_registration(policy, index, rng, now, phone=repeat_phone if index in (2, 18) else None)
        registered.append(complaint_register(actor=registrars[index % len(registrars)],
                                             data=ComplaintIn(**data).to_input(),
                                             now=when + timedelta(minutes=3)))
        made += 1

    advance(policy, registered)
    for app in ("resolutions", "followup", "knowledge"):
        app_seed = _app_seed(app)
        if app_seed is not None:
            app_seed(policy)
    return made


@transaction.atomic
def seed_unit_complaints(policy: Policy, registrars: dict[str, Any], *, count: int = 3, seed: int = 20261201) -> int:
    """Register ``count`` complaints in each unit of ``registrars`` (unit code → the unit's agent),
    received there by that agent; a unit that has complaints already is left alone."""

    rng = random.Random(seed)
    now = timezone.now()
    made = 0
    for offset, (code, agent) in enumerate(sorted(registrars.items())):
        if Complaint.objects.filter(unit__code=code).exists():
            continue
        for index in range(count):
            data, when = demo_registration(policy, offset * count + index, rng, now)
            complaint_register(actor=agent, data=ComplaintIn(**data, unit=code).to_input(),
                               now=when + timedelta(minutes=3))
            made += 1
    return made


def _app_seed(app: str) -> Any:
    """The demo seed of an app that has one (``complaintdesk.<app>.demo.seed``)."""
    import importlib

    try:
        module = importlib.import_module(f"complaintdesk.{app}.demo")
    except ModuleNotFoundError:
        return None
    return getattr(module, "seed", None)


def _reason_path(policy: Policy, rng: random.Random) -> list[str]:
    path: list[str] = []
    nodes: Any = policy.reasons.tree
    while nodes and len(path) < policy.reasons.intake_depth:
        node = rng.choice(nodes)
        path.append(node.code)
        nodes = node.children
    return path
