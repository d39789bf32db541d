"""``reports[].dimensions``: a scheduled report's workbook holds the summary and only the parts its
dimensions name (hypermarket: the weekly summary by category and level; the monthly one also by
reason and cost)."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from complaintdesk.policy.rules.reports import report_period
from complaintdesk.reports.services import report_run_generate
from orgkit import install_org

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 9, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def sheets(org: Any, code: str) -> list[str]:
    report = next(r for r in org.policy.reports if r.code == code)
    run = report_run_generate(policy=org.policy, report=report, period=report_period(report, date(2026, 11, 2)),
                              now=NOW)
    assert run is not None
    return list(load_workbook(io.BytesIO(bytes(run.workbook))).sheetnames)


def test_the_workbook_holds_the_parts_the_dimensions_name() -> None:
    org = install_org("hypermarket")
    weekly = sheets(org, "weekly_summary")      # count, category, level, store
    monthly = sheets(org, "monthly_summary")    # count, category, level, reason, cost, store
    assert len(weekly) == 3 and len(monthly) == 5
    assert weekly[0] == monthly[0] == "汇总"     # the summary, in the organisation's language
    assert set(weekly) < set(monthly)
