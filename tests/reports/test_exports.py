"""Exports of the complaint list and the queues: the list's filters and scoping, CSV and Excel,
streamed."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook
from reportkit import SHANGHAI


def _csv(response: Any) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))


def test_csv_of_the_list_follows_its_filters(dataset: Any, client: Any) -> None:
    from complaintdesk.complaints.models import Complaint

    client.force_login(dataset.org["specialist"])
    response = client.get("/exports/complaints.csv", {"level": "major", "status": "open"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert rows[0][:4] == ["Number", "Received at", "Registered at", "Status"]
    expected = list(Complaint.objects.filter(level="major").exclude(status__in=["closed", "rejected", "withdrawn"])
                    .order_by("-registered_at", "-id").values_list("number", flat=True))
    assert [row[0] for row in rows[1:]] == expected
    assert {row[4] for row in rows[1:]} == {dataset.org.policy.level("major").label.en}


def test_excel_of_the_list_in_chinese(dataset: Any, client: Any) -> None:
    from complaintdesk.complaints.models import Complaint

    client.force_login(dataset.org["cs_head"])
    client.cookies["django_language"] = "zh-hans"
    response = client.get("/exports/complaints.xlsx", {"category": "machine_quality"})
    assert response.status_code == 200 and response.streaming
    assert 'filename="complaints-' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["编号", "受理时间", "登记时间", "状态"]
    ordered = Complaint.objects.filter(category="machine_quality").order_by("-registered_at", "-id")
    numbers = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert numbers == list(ordered.values_list("number", flat=True))
    first = ordered.first()
    assert first is not None
    # times are shown in the organisation's zone
    shown = sheet.cell(row=2, column=3).value
    assert shown.strftime("%Y-%m-%d %H:%M") == f"{first.registered_at.astimezone(SHANGHAI):%Y-%m-%d %H:%M}"
    # the sheet is named in the reader's language, and the owner by name, not by username
    assert sheet.title == "投诉"
    assert header[header.index("责任人")] == "责任人"
    owners = {row[header.index("责任人")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert owners == {c.owner.display_name() for c in ordered}
    assert not owners & {c.owner.username for c in ordered}


@pytest.mark.parametrize(("kind", "language", "title"), [
    ("overdue", "zh-hans", "已超时"), ("soon", "en", "Due soon"), ("mine", "en", "My complaints"),
    ("level-major", "en", "Major ／ malignant complaint")])
def test_a_queues_workbook_is_named_as_the_console_names_the_queue(dataset: Any, client: Any, kind: str,
                                                                   language: str, title: str) -> None:
    client.force_login(dataset.org["specialist"])
    client.cookies["django_language"] = language
    response = client.get(f"/exports/queues/{kind}.xlsx")
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.title == title
    if kind.startswith("level-"):  # the level's label, with "/" (not allowed in a sheet's name) in full width
        assert dataset.org.policy.level("major").label.en == title.replace("／", "/")


@pytest.mark.parametrize("kind", ["mine", "overdue", "soon", "level-major"])
def test_queues_export_what_the_queue_shows(dataset: Any, client: Any, kind: str) -> None:
    from complaintdesk.complaints.selectors.listing import complaint_list
    from complaintdesk.reports.exports import queue_filters

    user = dataset.org["specialist"]
    client.force_login(user)
    response = client.get(f"/exports/queues/{kind}.csv", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    filters = queue_filters(kind, dataset.org.policy)
    assert filters is not None
    expected = list(complaint_list(user, filters).values_list("number", flat=True))
    assert [row[0] for row in _csv(response)[1:]] == expected


def test_a_handler_exports_only_its_departments_complaints(dataset: Any, client: Any) -> None:
    from complaintdesk.complaints.selectors.access import visible_complaints

    handler = dataset.org["handler"]
    client.force_login(handler)
    numbers = [row[0] for row in _csv(client.get("/exports/complaints.csv"))[1:]]
    assert sorted(numbers) == sorted(visible_complaints(handler).values_list("number", flat=True))
    assert len(numbers) < len(dataset.complaints)


def test_unknown_queue_or_format_is_404(dataset: Any, client: Any) -> None:
    client.force_login(dataset.org["specialist"])
    assert client.get("/exports/queues/nothing.csv").status_code == 404
    assert client.get("/exports/queues/level-huge.csv").status_code == 404
    assert client.get("/exports/complaints.pdf").status_code == 404


def test_the_list_and_queue_pages_link_their_exports(dataset: Any, client: Any) -> None:
    client.force_login(dataset.org["specialist"])
    html = client.get("/complaints/", {"level": "major"}).content.decode()
    assert 'href="/exports/complaints.csv"' in html and 'href="/exports/complaints.xlsx"' in html
    html = client.get("/complaints/queues/overdue/").content.decode()
    assert 'href="/exports/queues/overdue.csv"' in html


def test_workbooks_are_written_through_lxml() -> None:
    """openpyxl writes through lxml when it can import it (a dependency for that reason: a 100,000-row
    export took 43 s through its pure-Python writer and 33 s through lxml, docs/performance.md)."""
    from openpyxl.xml import LXML

    assert LXML
