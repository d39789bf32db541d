"""The rows of the queues, the list page and the department inbox are rendered by one format_html each
(``complaints/templatetags/complaint_rows.py``): the HTML must be exactly what the row templates wrote
before (kept in old_rows/, from main at eac28a1), for rows with every badge, deadline state and action, with text
that needs escaping, in English and in Chinese, in the organisation's time zone."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.template import engines
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from complaintdesk.clocks.selectors import BadgeView
from complaintdesk.complaints.templatetags.complaint_rows import url_maker
from complaintdesk.worktime.countdown import Countdown

# the row templates of main at eac28a1 (the list's since given the no-wrap classes its rows were given)
OLD = Path(__file__).parent / "old_rows"
OLD_QUEUE_ROWS = (OLD / "queue_rows.html").read_text()
OLD_LIST_ROWS = (OLD / "list_rows.html").read_text()
OLD_INBOX_CARDS = (OLD / "inbox_cards.html").read_text()

CSRF = "tok<en>"  # the same token in both renders (the context processor masks it anew each render)
NASTY = 'O\'Brien & <script>alert("x")</script>'


def django_render(source: str, context: dict[str, Any]) -> str:
    request = RequestFactory().get("/")
    return engines["django"].from_string(source).render({**context, "csrf_token": CSRF}, request)


def new_source(name: str) -> str:
    template = engines["django"].engine.get_template(name)
    return template.source


def new_inbox_source() -> str:
    """The inbox page's rows: its load line and the line that renders the cards."""
    lines = new_source("complaints/inbox.html").splitlines()
    return "{% load i18n complaint_rows %}" + next(line for line in lines if line.startswith("{% if rows %}"))


def badge(seconds: int, *, working: bool = True, warned: bool = False, due_at: datetime | None = None) -> BadgeView:
    left = Countdown(seconds=seconds, working=working, overdue=seconds < 0, day_seconds=8 * 3600 if working else 86400)
    return BadgeView(left, warned, due_at)


def labelled(label: str) -> dict[str, str]:
    return {"code": "c", "label": label}


def queue_rows() -> list[dict[str, Any]]:
    due = datetime(2026, 3, 2, 1, 30, tzinfo=ZoneInfo("UTC"))  # 09:30 in Shanghai
    base = {"number": "C-2026-000001", "url": "/complaints/C-2026-000001/", "level": labelled("一般 <b>"),
            "status_label": "Registered", "customer": "王晓梅", "reason": "Phone & screen", "owner": "Agent",
            "complete": True, "major": False, "waiting_on": ""}
    return [
        base,
        {**base, "number": "C-1&<2>", "url": '/complaints/C-1%26%3C2%3E/?a="b"', "customer": NASTY, "reason": NASTY,
         "owner": NASTY, "level": labelled(NASTY), "status_label": NASTY, "major": True, "waiting_on": "customer",
         "complete": False, "deadline": {"label": NASTY, "view": badge(-200 * 8 * 3600 - 3600), "due_at": due}},
        {**base, "deadline": {"label": "Reply", "view": badge(3 * 3600, warned=True), "due_at": due}},
        {**base, "deadline": {"label": "Reply", "view": badge(5 * 86400, working=False), "due_at": due}},
        {**base, "deadline": {"label": "Reply", "view": badge(0, due_at=due), "due_at": due}},
        {**base, "deadline": {"label": "答复", "view": badge(40), "due_at": due}, "waiting_on": "dealer"},
    ]


def list_items(now: datetime) -> list[dict[str, Any]]:
    base = {"number": "C-2026-000002", "url": "/complaints/C-2026-000002/", "level": labelled("严重"),
            "status_label": "Accepted", "status": "accepted", "open": True, "category": labelled("Network"),
            "customer": "Li Lei", "reason": "No signal", "owner": "Agent", "unit": {"code": "hq", "name": "总部"},
            "complete": True, "registered_at": now - timedelta(days=3), "reply_due_at": now - timedelta(hours=1)}
    return [
        base,
        {**base, "number": 'C-"3"&<4>', "url": "/complaints/C-%223%22/", "customer": NASTY, "reason": NASTY,
         "owner": NASTY, "unit": {"code": "x", "name": NASTY}, "category": labelled(NASTY), "level": labelled(NASTY),
         "status_label": NASTY, "complete": False},
        {**base, "status": "resolved"},
        {**base, "open": False, "status": "closed"},
        {**base, "reply_due_at": now + timedelta(days=1)},
        {**base, "reply_due_at": None},
    ]


def inbox_rows() -> list[dict[str, Any]]:
    due = timezone.now() - timedelta(days=30)
    base = {"id": 7, "number": "WO-0007", "level_label": "一般", "complaint": "C-2026-000003", "kind": "complaint",
            "urgent": False, "due_at": due, "badge": badge(-3600 * 8 * 20), "overdue": True, "status_label": "Open",
            "status": "open", "request": "Please check\nthe line", "reply": "", "replied_by": None}
    return [
        base,
        {**base, "id": 8, "number": NASTY, "level_label": NASTY, "complaint": "C-<x>&1", "kind": "information",
         "urgent": True, "request": NASTY, "status_label": NASTY},
        {**base, "id": 9, "status": "answered", "badge": None, "overdue": False, "reply": NASTY, "replied_by": NASTY},
        {**base, "id": 10, "badge": badge(2 * 3600, working=False), "overdue": False},
    ]


LANGUAGES = pytest.mark.parametrize("language", ["en", "zh-hans"])


@pytest.fixture(autouse=True)
def shanghai() -> Any:
    with timezone.override(ZoneInfo("Asia/Shanghai")):
        yield


@LANGUAGES
@pytest.mark.parametrize("may_accept", [False, True])
def test_queue_rows_are_the_html_the_row_template_wrote(language: str, may_accept: bool) -> None:
    context = {"rows": queue_rows(), "may_accept": may_accept, "page": 2, "has_next": True}
    with translation.override(language):
        old = django_render(OLD_QUEUE_ROWS, context)
        new = django_render(new_source("complaints/_queue_rows.html"), context)
    assert new == old
    assert "&lt;script&gt;" in new and "<script>" not in new
    assert new.count("<tr data-number=") == len(context["rows"])
    if may_accept:
        assert new.count(CSRF.replace("<", "&lt;").replace(">", "&gt;")) == 5  # the complete rows' forms


@LANGUAGES
@pytest.mark.parametrize("may_bulk", [False, True])
def test_list_rows_are_the_html_the_row_template_wrote(language: str, may_bulk: bool) -> None:
    now = timezone.now()
    context = {"items": list_items(now), "may_bulk": may_bulk, "now": now, "page": 1, "has_next": False,
               "query": "q=a&b", "total": 6, "total_more": False, "errors": {}}
    with translation.override(language):
        old = django_render(OLD_LIST_ROWS, context)
        new = django_render(new_source("complaints/_list_rows.html"), context)
    assert new == old
    assert "&lt;script&gt;" in new and "<script>" not in new
    assert new.count("text-danger fw-semibold") == 2  # past due and open, not resolved: rows 1 and 2


@LANGUAGES
def test_inbox_cards_are_the_html_the_card_template_wrote(language: str) -> None:
    context = {"rows": inbox_rows()}
    with translation.override(language):
        old = django_render(OLD_INBOX_CARDS, context)
        new = django_render(new_inbox_source(), context)
    assert new == old
    assert "&lt;script&gt;" in new and "<script>" not in new
    assert new.count('data-testid="reply-form"') == 3


@pytest.mark.parametrize(("source", "context"), [
    (OLD_QUEUE_ROWS, {"rows": [], "may_accept": True, "page": 1}),
    (OLD_LIST_ROWS, {"items": [], "may_bulk": True, "page": 1, "total": 0}),
    (OLD_INBOX_CARDS, {"rows": []}),
])
def test_empty_lists_read_as_before(source: str, context: dict[str, Any]) -> None:
    new = {OLD_QUEUE_ROWS: "complaints/_queue_rows.html", OLD_LIST_ROWS: "complaints/_list_rows.html"}
    with translation.override("zh-hans"):
        old = django_render(source, context)
        rendered = django_render(new_source(new[source]) if source in new else new_inbox_source(), context)
    assert rendered == old


@pytest.mark.parametrize("name", ["complaint-detail", "complaint-queue-accept", "work-order-reply"])
def test_the_url_maker_writes_what_reverse_writes(name: str) -> None:
    make = url_maker(name)
    values = [7, 123456] if name == "work-order-reply" else ["C-2026-000001", "A&B", "x y", "中文", "a'b(c)"]
    for value in values:
        assert make(value) == reverse(name, args=[value])
    if name != "work-order-reply":
        with pytest.raises(NoReverseMatch):  # as {% url %} would
            make("a/b")
