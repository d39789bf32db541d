"""Scheduled reports to addresses outside the system (``reports: … emails:``): mailed with the
workbook through the loopback SMTP server like the users' copies, once each, in the
organisation's language; a malformed address is refused by ``policy check`` with its line."""

from __future__ import annotations

import email
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from complaintdesk.reports.models import ReportDelivery, ReportRun
from complaintdesk.reports.services import report_delivery_send, scheduled_reports_run
from orgkit import install_variant

SHANGHAI = ZoneInfo("Asia/Shanghai")
# the weekly summary's note on its recipient outside the system (the first of the two alike)
WEEKLY_RECIPIENT = "    # …以电子邮件传给总公司营运处客服专员: forwarded by the store manager (gm) who receives it\n"


def test_addresses_outside_the_system_get_the_report_once(db: Any, smtp_server: Any) -> None:
    from complaintdesk.core.models import PolicyVersion

    org = install_variant("hypermarket", "2026.1-mail", (
        WEEKLY_RECIPIENT, WEEKLY_RECIPIENT + "    emails: [ops-cs@hq.example.com, GM@example.com]\n"))
    PolicyVersion.objects.filter(policy_id="hypermarket").update(
        installed_at=datetime(2026, 11, 8, 8, tzinfo=SHANGHAI))
    gm = org["gm"]
    gm.email, gm.language = "gm@example.com", "en"
    gm.save()
    scheduled_reports_run(now=datetime(2026, 11, 9, 10, tzinfo=SHANGHAI))
    run = ReportRun.objects.get(code="weekly_summary")
    deliveries = {d.email: d for d in ReportDelivery.objects.filter(run=run)}
    # the general manager's own address is listed too: one mail, to the user, in the user's language
    assert set(deliveries) == {"gm@example.com", "ops-cs@hq.example.com"}
    outside = deliveries["ops-cs@hq.example.com"]
    assert outside.user is None and outside.language == "zh-hans"
    for delivery in ReportDelivery.objects.all():
        report_delivery_send(delivery_id=delivery.pk)
    assert report_delivery_send(delivery_id=outside.pk) == "sent"  # never twice
    to_outside = [m for m in smtp_server.messages if "ops-cs@hq.example.com" in m.rcpt_tos]
    assert len(to_outside) == 1
    mail = email.message_from_bytes(to_outside[0].content)
    subject = str(email.header.make_header(email.header.decode_header(mail["Subject"])))
    assert "每周店内客诉记录汇总" in subject
    assert any(part.get_filename() == "weekly_summary-2026-11-02-2026-11-08.xlsx" for part in mail.walk())


@pytest.mark.parametrize("bad", ["ops-cs", "ops cs@hq.example.com", "ops@localhost", "a@b@c.com"])
def test_policy_check_refuses_a_malformed_address_with_its_line(bad: str) -> None:
    from complaintdesk.policy.load import PolicyError, parse_policy_text, preset_path

    text = preset_path("hypermarket").read_text(encoding="utf-8")
    text = text.replace(WEEKLY_RECIPIENT, WEEKLY_RECIPIENT + f'    emails: ["{bad}"]\n', 1)
    with pytest.raises(PolicyError) as caught:
        parse_policy_text(text, "hypermarket.yaml")
    problems = [p for p in caught.value.problems if "e-mail address" in p.message]
    assert problems and bad in problems[0].message
    assert problems[0].line == text.splitlines().index(f'    emails: ["{bad}"]') + 1
