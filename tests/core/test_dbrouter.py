"""Reports read from a replica (core/dbrouter.py): with a ``reports`` database alias, the reports'
API, pages and scheduled reports send their reads through that connection, and nothing is ever
written there; without it, everything reads the main database as before.

The replica here is a second connection to the test database itself (what the ``TEST: MIRROR``
setting does under Django's runner), so the tests run on SQLite and PostgreSQL alike; the data is
committed (transactional tests) so that the second connection sees it, as a replica would."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.utils import load_backend
from django.test.utils import CaptureQueriesContext

from complaintdesk.complaints.models import Complaint
from complaintdesk.core.dbrouter import REPORTS, ReportsRouter, reports_alias, reports_reads

_KIT = str(Path(__file__).resolve().parent.parent / "complaints")
if _KIT not in sys.path:
    sys.path.insert(0, _KIT)

from workkit import register  # noqa: E402

WRITES = ("INSERT", "UPDATE", "DELETE", "CREATE", "ALTER", "DROP")


@pytest.fixture
def replica() -> Iterator[str]:
    """The ``reports`` alias: a second connection to the test database, created here (Django's test
    case refuses connections to configured aliases a test did not declare, and declaring one needs
    it configured before the test case is set up)."""
    config = dict(connections[DEFAULT_DB_ALIAS].settings_dict)
    original = settings.DATABASES
    settings.DATABASES = {**original, REPORTS: config}
    connections[REPORTS] = load_backend(config["ENGINE"]).DatabaseWrapper(config, REPORTS)
    try:
        yield REPORTS
    finally:
        connections[REPORTS].close()
        del connections[REPORTS]
        settings.DATABASES = original


def _sql(captured: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in captured.captured_queries]


def _client(user: Any) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db(transaction=True)
def test_the_reports_api_reads_through_the_reports_connection_and_writes_nothing_there(
        org_tx: Any, replica: str) -> None:
    for i in range(3):
        register(org_tx["agent"], customer={"first_name": "Ann",
                                            "last_name": f"R{i}", "phone": f"1391234571{i}", "language": "en"})
    client = _client(org_tx["supervisor"])
    with CaptureQueriesContext(connections[replica]) as on_replica, \
            CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_main:
        monthly = client.get("/api/v1/reports/monthly")
        sla = client.get("/api/v1/reports/sla")
    assert monthly.status_code == 200 and sla.status_code == 200, (monthly.content, sla.content)
    assert monthly.json()["totals"]["opened"] == 3  # the replica's rows: the same as the main database's
    read = _sql(on_replica)
    assert any('"complaints_complaint"' in sql for sql in read)
    assert not [sql for sql in read if sql.lstrip().upper().startswith(WRITES)]
    # the main database authenticated the caller and read the policy in force, and no complaint (the
    # JSON lists counted per day in SQL of our own go to the queryset's database too)
    assert not [sql for sql in _sql(on_main) if '"complaints_complaint"' in sql]


@pytest.mark.django_db(transaction=True)
def test_the_report_pages_read_through_the_reports_connection(org_tx: Any, replica: str) -> None:
    register(org_tx["agent"], customer={"first_name": "Ann",
                                        "last_name": "Page", "phone": "13912345720", "language": "en"})
    client = _client(org_tx["supervisor"])
    for url in ("/reports/", "/dashboard/"):
        with CaptureQueriesContext(connections[replica]) as on_replica:
            response = client.get(url)
        assert response.status_code == 200, url
        read = _sql(on_replica)
        assert any('"complaints_complaint"' in sql for sql in read), url
        assert not [sql for sql in read if sql.lstrip().upper().startswith(WRITES)], url


@pytest.mark.django_db(transaction=True)
def test_a_scheduled_report_counts_on_the_replica_and_writes_its_run_on_the_main_database(replica: str) -> None:
    from django.utils import timezone

    from complaintdesk.core.policies import active_policy
    from complaintdesk.policy.rules.reports import report_period
    from complaintdesk.reports.models import ReportRun
    from complaintdesk.reports.services.scheduled import report_run_generate
    from orgkit import install_org

    install_org("pc_maker")  # its policy schedules reports
    _version, policy = active_policy()
    report = policy.reports[0]
    period = report_period(report, timezone.localdate())
    with CaptureQueriesContext(connections[replica]) as on_replica:
        run = report_run_generate(policy=policy, report=report, period=period, now=timezone.now())
    assert run is not None and ReportRun.objects.using(DEFAULT_DB_ALIAS).filter(pk=run.pk).exists()
    read = _sql(on_replica)
    assert read and not [sql for sql in read if sql.lstrip().upper().startswith(WRITES)]


@pytest.mark.django_db(transaction=True)
def test_inside_the_context_reads_go_to_the_replica_and_writes_to_the_main_database(
        org_tx: Any, replica: str) -> None:
    complaint = register(org_tx["agent"], customer={"first_name": "Ann",
                                                    "last_name": "W", "phone": "13912345730", "language": "en"})
    with reports_reads() as alias:
        assert alias == REPORTS == reports_alias()
        read = Complaint.objects.get(pk=complaint.pk)
        assert read._state.db == REPORTS
        with CaptureQueriesContext(connections[replica]) as on_replica, \
                CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_main:
            read.customer_request = "changed through an object read from the replica"
            read.save(update_fields=["customer_request"])
    assert not _sql(on_replica)
    assert [sql for sql in _sql(on_main) if sql.lstrip().upper().startswith("UPDATE")]
    assert Complaint.objects.get(pk=complaint.pk).customer_request.startswith("changed")
    # outside the context, reads are the main database's again
    assert Complaint.objects.all().db == DEFAULT_DB_ALIAS
    assert router.db_for_write(Complaint) == DEFAULT_DB_ALIAS
    assert ReportsRouter().allow_migrate(REPORTS, "complaints") is False
    assert ReportsRouter().allow_migrate(DEFAULT_DB_ALIAS, "complaints") is None


def test_without_the_setting_the_context_changes_nothing() -> None:
    assert REPORTS not in settings.DATABASES
    assert reports_alias() == DEFAULT_DB_ALIAS
    with reports_reads() as alias:
        assert alias == DEFAULT_DB_ALIAS
        assert Complaint.objects.all().db == DEFAULT_DB_ALIAS
    assert "complaintdesk.core.dbrouter.ReportsRouter" in settings.DATABASE_ROUTERS


def test_the_setting_configures_the_replica_alias(monkeypatch: pytest.MonkeyPatch) -> None:
    from complaintdesk import settings as project_settings

    monkeypatch.setenv("COMPLAINTDESK_REPORTS_DATABASE_URL", "postgres://reader@replica.example:5432/complaintdesk")
    config = project_settings._reports_database()
    assert config is not None
    assert (config["ENGINE"], config["HOST"], config["NAME"]) == (
        "django.db.backends.postgresql", "replica.example", "complaintdesk")
    assert config["TEST"] == {"MIRROR": "default"}
    monkeypatch.delenv("COMPLAINTDESK_REPORTS_DATABASE_URL")
    assert project_settings._reports_database() is None
