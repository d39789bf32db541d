"""Regulator returns: the FCA DISP-shaped half-year return against a hand count (three business
days by the receipt weekday, eight weeks, upheld, main cause), and the CFPB-style export."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from reportkit import SHANGHAI, make_complaint

from complaintdesk.reports.regulator import fca_disp_return, parse_half


def _plan(org: Any, complaint: Any, total: str) -> None:
    from complaintdesk.resolutions.models import Plan

    Plan.objects.create(complaint=complaint, sequence=1, what="w", who="w", when="w", where="w", why="w", how="w",
                        currency="CNY", total=Decimal(total), budget_total=Decimal(total), state="approved",
                        author=org["specialist"], created_at=complaint.received_at)


def _closed(org: Any, number: str, received: datetime, took: timedelta, **fields: Any) -> Any:
    return make_complaint(org, number, received, received_at=received, status="closed",
                          closed_at=received + took, **fields)


def test_fca_disp_return_by_product_group(pc_org: Any) -> None:
    monday = datetime(2026, 9, 7, 10, 0, tzinfo=SHANGHAI)
    wednesday = monday + timedelta(days=2)
    a = _closed(pc_org, "F1", monday, timedelta(days=3), root_cause=["product", "hardware"])  # Thu: in time
    _closed(pc_org, "F2", monday, timedelta(days=3, minutes=1), root_cause=["product"])  # late for 3 days
    _closed(pc_org, "F3", wednesday, timedelta(days=5), root_cause=["service"])  # Mon after: in time
    _closed(pc_org, "F4", wednesday, timedelta(weeks=9), root_cause=["product"])  # beyond 8 weeks
    _plan(pc_org, a, "100.00")
    make_complaint(pc_org, "F5", monday, received_at=monday)  # opened, still open
    make_complaint(pc_org, "F6", monday, received_at=monday, category="repair_service")
    _closed(pc_org, "OLD", datetime(2026, 6, 30, 23, 0, tzinfo=SHANGHAI), timedelta(days=1))  # closed in H2
    rows = {r["code"]: r for r in fca_disp_return(pc_org.policy, parse_half("2026-H2", SHANGHAI), "en")}
    quality = rows["machine_quality"]
    assert quality["opened"] == 5  # F1–F5 received in H2 (OLD was received in H1)
    assert quality["closed"] == 5  # F1–F4 and OLD closed in H2
    assert quality["closed_within_3_business_days_pct"] == 60.0  # F1, F3, OLD
    assert quality["closed_within_8_weeks_pct"] == 80.0  # all but F4
    assert quality["upheld_pct"] == 20.0  # F1 had an approved remedy
    assert quality["main_cause"] == pc_org.policy.reasons.tree[0].label.en  # product: 3 of 4 root causes
    assert rows["repair_service"]["opened"] == 1 and rows["repair_service"]["closed"] == 0


def test_cfpb_export_and_the_pages(pc_org: Any, client: Any) -> None:
    received = datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)
    money = _closed(pc_org, "C1", received, timedelta(days=1), reason_codes=["product", "hardware"], channel="letter")
    _plan(pc_org, money, "50.00")
    _closed(pc_org, "C2", received, timedelta(days=2))
    make_complaint(pc_org, "C3", received, received_at=received, reply_due_at=received + timedelta(days=1))
    client.force_login(pc_org["cs_head"])
    response = client.get("/reports/regulator/cfpb.csv", {"from": "2026-11-01", "to": "2026-11-30"})
    assert response.status_code == 200 and response.streaming
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "Date received" and rows[0][-1] == "Complaint ID"
    by_id = {row[-1]: row for row in rows[1:]}
    assert set(by_id) == {"C1", "C2", "C3"}
    assert by_id["C1"][0] == "11/02/2026" and by_id["C1"][6] == "Closed with monetary relief"
    assert by_id["C1"][3] == pc_org.policy.reasons.tree[0].label.en
    assert by_id["C1"][8] == pc_org.policy.channel("letter").label.en
    assert by_id["C2"][6] == "Closed with explanation" and by_id["C2"][7] == "Yes"
    assert by_id["C3"][6] == "Untimely response" and by_id["C3"][7] == "No"
    fca = client.get("/reports/regulator/fca-disp.csv", {"half": "2026-H2"}, HTTP_ACCEPT_LANGUAGE="en")
    assert fca.status_code == 200
    table = list(csv.reader(io.StringIO(fca.content.decode("utf-8-sig"))))
    assert table[0][0] == "Reporting period" and table[1][0] == "2026-H2"
    assert client.get("/reports/regulator/fca-disp.csv", {"half": "2026-H3"}).status_code == 422
    client.force_login(pc_org["agent"])
    assert client.get("/reports/regulator/cfpb.csv").status_code == 403


def test_the_report_page_links_the_returns(pc_org: Any, client: Any) -> None:
    client.force_login(pc_org["vp"])
    html = client.get("/reports/?month=2026-11", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "/reports/regulator/fca-disp.csv?half=2026-H2" in html
    assert "/reports/regulator/cfpb.csv?from=2026-11-01&amp;to=2026-11-30" in html
