"""``reports[].dimensions``: a scheduled report's workbook holds the summary and only the parts its
dimensions name (hypermarket: the weekly summary by category, level and store; the monthly one also
by reason and cost); every dimension the policy language offers names a part — a store's, a
dealer's or a region's figures are the "By unit" sheet, ``staff`` the judgements per staff member,
``customer_files`` the customer files of the period (seed 003)."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from typing import Any, get_args
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from reportkit import make_complaint

from complaintdesk.policy.rules.reports import report_period
from complaintdesk.policy.schema import ReportDimension
from complaintdesk.reports.services import report_run_generate
from complaintdesk.reports.services.scheduled import DIMENSION_PARTS, SUMMARY_DIMENSION
from orgkit import install_org

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 9, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


NOVEMBER = datetime(2026, 11, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # the period generated


def workbook(org: Any, code: str) -> Any:
    report = next(r for r in org.policy.reports if r.code == code)
    run = report_run_generate(policy=org.policy, report=report, period=report_period(report, date(2026, 11, 2)),
                              now=NOW)
    assert run is not None
    return load_workbook(io.BytesIO(bytes(run.workbook)))


def sheets(org: Any, code: str) -> list[str]:
    return list(workbook(org, code).sheetnames)


def rows(sheet: Any) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_every_dimension_of_the_policy_language_names_a_part() -> None:
    assert set(get_args(ReportDimension)) == {*DIMENSION_PARTS, SUMMARY_DIMENSION}


def a_complaint(org: Any, number: str, at: datetime = NOVEMBER) -> Any:
    policy = org.policy
    return make_complaint(org, number, at, channel=policy.channels[0].code, category=policy.categories[0].code,
                          level=policy.default_level, suggested_level=policy.default_level)


def test_the_workbook_holds_the_parts_the_dimensions_name() -> None:
    org = install_org("hypermarket")
    weekly = sheets(org, "weekly_summary")      # count, category, level, store
    monthly = sheets(org, "monthly_summary")    # count, category, level, reason, cost, store
    assert len(weekly) == 4 and len(monthly) == 6
    assert weekly[0] == monthly[0] == "汇总"     # the summary, in the organisation's language
    assert "按单位" in weekly                    # the stores' figures
    assert set(weekly) < set(monthly)


def test_a_dealers_customer_files_of_last_month() -> None:
    """003: dealers send last month's customer files by the 5th, regions their summary by the 8th; each
    file holds name, address, phone, model, purchase time and area (``customer_profile``)."""
    org = install_org("dealer_network")
    complete = a_complaint(org, "DN-1")
    customer, product = complete.customer, complete.product
    customer.last_name, customer.first_name = "王", "建国"
    customer.phone, customer.address = "+8613812345678", "上海市徐汇区漕溪北路 88 号"
    customer.save()
    product.model, product.purchase_date, product.place_of_purchase = "KX-200", date(2026, 9, 1), "上海徐汇"
    product.save()
    a_complaint(org, "DN-2")  # a file without address, phone, purchase time or area
    a_complaint(org, "DN-3", NOVEMBER - timedelta(days=30))  # registered in October: last month's file
    book = workbook(org, "dealer_customer_files")
    assert book.sheetnames == ["Summary", "By unit", "Customer files"]  # the organisation's language: English
    files = rows(book["Customer files"])
    assert files[0] == ("Unit", "Customer", "Complaints", "Name", "Address", "Phone", "Model", "Purchase date",
                        "Place of purchase", "Missing from the file")
    by_number = {row[2]: row for row in files[1:]}
    assert set(by_number) == {"DN-1", "DN-2"}
    unit, customer_id, _number, name, address, phone, model, bought, place, missing = by_number["DN-1"]
    assert (customer_id, name, model, bought, place, missing) == (customer.pk, "王建国", "KX-200", "2026-09-01",
                                                                  "上海徐汇", "None")
    assert "13812345678" not in phone and phone.endswith("5678")  # contact data masked: the file travels by mail
    assert "88" not in address
    assert by_number["DN-2"][-1] == "Address, Phone, Purchase date, Place of purchase"
    assert unit == by_number["DN-2"][0] != ""
    regional = workbook(org, "regional_summary")
    assert regional.sheetnames == ["Summary", "By unit", "Customer files"]


def test_the_judgement_statistics_by_staff_member() -> None:
    from complaintdesk.followup.models import Judgement

    org = install_org("community_hotline")
    for number, validity in (("CH-1", "valid"), ("CH-2", "invalid"), ("CH-3", "valid")):
        complaint = a_complaint(org, number)
        Judgement.objects.create(complaint=complaint, staff=org["agent"], validity=validity, category="x",
                                 company_at_fault=False, judged_by=org["supervisor"], judged_at=NOVEMBER,
                                 appeal_deadline=NOVEMBER + timedelta(days=3))
    book = workbook(org, "monthly_judgement_statistics")  # count, validity, reason, staff
    staff = rows(book["按员工"])
    assert staff[0][:6] == ("员工", "班组", "已评判", "有效", "无效", "公司有责")
    assert staff[1][:5] == ("Agent Test", None, 3, 2, 1)


def test_each_regional_manager_gets_the_files_of_the_regions_dealers() -> None:
    """003: "the dealer must … submit to the jurisdiction of the relevant regional manager customer
    files last month" — ``for_each: region``: one report per region, with that region's figures, to
    the regional manager there; none for head office as a whole."""
    from datetime import UTC

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from complaintdesk.core.models import PolicyVersion
    from complaintdesk.policy.load import load_preset
    from complaintdesk.reports.models import ReportDelivery, ReportRun
    from complaintdesk.reports.services import scheduled_reports_run
    from complaintdesk.reports.services.scheduled import _readers
    from complaintdesk.units.models import Unit, root_unit
    from complaintdesk.units.services import unit_create, unit_policy_install
    from unitkit import Tree, person, received_by
    from unittree import variant

    org = install_org("dealer_network")
    PolicyVersion.objects.filter(policy_id="dealer_network").update(installed_at=datetime(2026, 10, 1, tzinfo=UTC))
    east = unit_create(actor=None, code="east", name_zh="华东区", name_en="East region", kind="region")
    unit_create(actor=None, code="west", name_zh="华西区", name_en="West region", kind="region")
    unit_create(actor=None, code="dealer-e1", name_zh="东一经销商", name_en="East dealer 1", kind="dealer",
                parent="east")
    unit_create(actor=None, code="dealer-w1", name_zh="西一经销商", name_en="West dealer 1", kind="dealer",
                parent="west")
    # a region with a policy of its own makes its own reports; so does a region under a dealer-group
    # unit that has one (the nearest version above a unit is the one it follows)
    unit_create(actor=None, code="north", name_zh="华北区", name_en="North region", kind="region")
    unit_policy_install(actor=None, unit="north", loaded=variant("dealer_network", "2026.9-north"))
    unit_create(actor=None, code="group-s", name_zh="南方集团", name_en="South group", kind="dealer")
    unit_policy_install(actor=None, unit="group-s", loaded=variant("dealer_network", "2026.9-south"))
    unit_create(actor=None, code="south", name_zh="华南区", name_en="South region", kind="region",
                parent="group-s")
    tree = Tree(hq=None, east=east, store_a=None, store_b=None)
    managers = {code: person(tree, f"manager_{code}", code, "supervisor") for code in ("east", "west")}
    for user in (*managers.values(), org["supervisor"]):
        user.email = f"{user.username}@example.com"
        user.save(update_fields=["email"])
    received_by(a_complaint(org, "DN-E1"), Unit.objects.get(code="dealer-e1"))
    received_by(a_complaint(org, "DN-W1"), Unit.objects.get(code="dealer-w1"))
    scheduled_reports_run(now=datetime(2026, 12, 6, 2, 0, tzinfo=UTC))
    runs = ReportRun.objects.filter(code="dealer_customer_files", period_start="2026-11-01")
    # every region has its report; north and south under their own policies, not head office's
    assert sorted(runs.values_list("unit__code", flat=True)) == ["east", "north", "south", "west"]
    report = next(r for r in load_preset("dealer_network").policy.reports if r.code == "dealer_customer_files")
    head_office = root_unit()
    with CaptureQueriesContext(connection) as queries:
        assert [unit.code for unit in _readers(report, head_office)] == ["east", "west"]
    assert len(queries.captured_queries) <= 4  # not a query per unit
    for code in ("east", "west"):
        run = runs.get(unit__code=code)
        assert list(ReportDelivery.objects.filter(run=run).values_list("email", flat=True)) == [
            f"manager_{code}@example.com"]
        files = rows(load_workbook(io.BytesIO(bytes(run.workbook)))["Customer files"])
        assert [row[2] for row in files[1:]] == [f"DN-{code[0].upper()}1"]
    # the regions' summary still goes to head office's customer service, for the whole tree
    assert ReportRun.objects.filter(code="regional_summary", unit__parent__isnull=True).exists()


def test_each_store_gets_its_own_daily_summary_and_a_single_store_one() -> None:
    """002 retail 叁.一 "各点每日汇总交当班课长…交店总经理审阅": the daily summary is a store's — with
    ``for_each: store`` each store's summary holds its own complaints and goes to the section chief
    and the store manager there; an organisation with no store set up keeps one daily summary."""
    from datetime import UTC

    from complaintdesk.core.models import PolicyVersion
    from complaintdesk.reports.models import ReportDelivery, ReportRun
    from complaintdesk.reports.services import scheduled_reports_run
    from unitkit import build_tree, person, received_by

    org = install_org("hypermarket")
    PolicyVersion.objects.filter(policy_id="hypermarket").update(installed_at=datetime(2026, 10, 1, tzinfo=UTC))
    org["supervisor"].email = "chief-hq@example.com"
    org["supervisor"].save(update_fields=["email"])
    # no store yet: one summary of the day, for the whole organisation, to head office's section chief
    a_complaint(org, "DS-0", at=datetime(2026, 11, 16, 11, 0, tzinfo=UTC))
    scheduled_reports_run(now=datetime(2026, 11, 17, 1, 0, tzinfo=UTC))
    first = ReportRun.objects.filter(code="daily_summary", period_start="2026-11-16")
    assert [(run.unit.parent_id, run.summary["opened"]) for run in first] == [(None, 1)]
    assert "chief-hq@example.com" in ReportDelivery.objects.filter(run__in=first).values_list("email", flat=True)

    tree = build_tree()
    chiefs = {code: person(tree, f"chief_{code}", code, "supervisor") for code in ("store-a", "store-b")}
    for user in chiefs.values():
        user.email = f"{user.username}@example.com"
        user.save(update_fields=["email"])
    for number, store in (("DS-A1", tree.store_a), ("DS-A2", tree.store_a), ("DS-B1", tree.store_b)):
        received_by(a_complaint(org, number, at=datetime(2026, 11, 17, 3, 0, tzinfo=UTC)), store)
    scheduled_reports_run(now=datetime(2026, 11, 18, 1, 0, tzinfo=UTC))
    runs = ReportRun.objects.filter(code="daily_summary", period_start="2026-11-17")
    assert sorted((run.unit.code, run.summary["opened"]) for run in runs) == [("store-a", 2), ("store-b", 1)]
    for code, user in chiefs.items():
        run = runs.get(unit__code=code)
        assert list(ReportDelivery.objects.filter(run=run).values_list("email", flat=True)) == [user.email]
    # the weekly summary stays head office's, by store
    assert not ReportRun.objects.filter(code="weekly_summary").exclude(unit__parent__isnull=True).exists()
