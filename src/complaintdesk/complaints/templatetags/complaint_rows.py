"""The rows of the queues, the complaint list and the department inbox, each rendered with one
``format_html`` instead of a dozen template tags: the template engine resolving variables, filters
and ``{% translate %}`` tags cell by cell was about half the CPU of a queue page. The HTML is the very
HTML the row templates wrote (tests/complaints/test_row_rendering.py renders both and compares them):
the same cells, badges, links and escaping, in the language of the request."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, tzinfo
from typing import Any
from urllib.parse import quote

from django import template
from django.conf import settings
from django.template.defaulttags import CsrfTokenNode
from django.urls import reverse
from django.utils import timezone
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from complaintdesk.core.html import format_html
from complaintdesk.core.templatetags.deadlines import deadline_badge

register = template.Library()


def minute(value: datetime | None, zone: tzinfo | None) -> str:
    """``value|date:"Y-m-d H:i"``: an aware time in ``zone`` (the current time zone, looked up once
    per list by :func:`local_zone`), to the minute; "" for None."""
    if value is None:
        return ""
    local = value.astimezone(zone) if zone is not None and value.utcoffset() is not None else value
    return f"{local.year:04d}-{local.month:02d}-{local.day:02d} {local.hour:02d}:{local.minute:02d}"


def stamp(value: datetime | None, zone: tzinfo | None) -> SafeString:
    """``minute(value)`` as two unbreakable parts, the date and the time: a narrow column puts the
    time under the date instead of breaking the date at a hyphen; "" for None."""
    text = minute(value, zone)
    if not text:
        return SafeString("")
    day, time = text.split(" ")
    return format_html('<span class="text-nowrap">{}</span> <span class="text-nowrap">{}</span>', day, time)


def local_zone() -> tzinfo | None:
    """The zone the ``date`` filter shows aware times in (None: times are shown as they are)."""
    return timezone.get_current_timezone() if settings.USE_TZ else None


_SENTINEL = 4242424242  # matches both <int:…> and <str:…>
_URL_SAFE = RFC3986_SUBDELIMS + "/~:@"  # what reverse() leaves unquoted


def url_maker(name: str) -> Callable[[Any], str]:
    """A function from the route's one argument to its URL, as ``reverse`` (and ``{% url %}``) writes
    it, the route reversed once per list; a value with a slash, which no route argument here holds,
    goes through ``reverse`` itself."""
    pattern = reverse(name, args=[_SENTINEL])
    head, tail = pattern.split(str(_SENTINEL), 1)

    def url(value: Any) -> str:
        text = str(value)
        if "/" in text:
            return reverse(name, args=[value])
        return f"{head}{quote(text, safe=_URL_SAFE)}{tail}"

    return url


def csrf_input(context: template.Context) -> SafeString:
    """What ``{% csrf_token %}`` writes in this context (safe HTML)."""
    return mark_safe(CsrfTokenNode().render(context))  # noqa: S308 - format_html's output, or ""


def _joined(parts: Iterable[str]) -> SafeString:
    return SafeString("".join(parts))  # every part is the output of format_html


QUEUE_ROW = ('\n    <tr data-number="{}">\n      <td><a href="{}">{}</a>{}{}</td>\n'
             '      <td><span class="badge text-bg-light border">{}</span></td>\n'
             '      <td>{}</td>\n      <td>{}</td>\n'
             '      <td class="text-truncate" style="max-width: 20rem">{}</td>\n      <td>{}</td>\n'
             '      <td>{}</td>\n      {}\n    </tr>\n  ')


def queue_rows_html(rows: Iterable[Mapping[str, Any]], *, may_accept: bool, csrf: SafeString) -> SafeString:
    """The ``<tr>`` of each queue row (``queues._rows``), with the accept cell where ``may_accept``."""
    major = format_html(' <span class="badge text-bg-danger">{}</span>', _("major team"))
    waiting = format_html(' <span class="badge text-bg-info">{}</span>', _("waiting"))
    accept_url = url_maker("complaint-queue-accept") if may_accept else None
    zone = local_zone()
    accept_label, complete_label = (_("Accept"), _("Complete the facts")) if may_accept else ("", "")
    out = []
    for r in rows:
        deadline = r.get("deadline")
        due: str = "—"
        if deadline:
            due = format_html('<span class="small">{}</span> {}<div class="small text-body-secondary">{}</div>',
                              deadline["label"], deadline_badge(deadline["view"]), minute(deadline["due_at"], zone))
        accept = ""
        if accept_url is not None:
            if r.get("complete"):
                accept = format_html('<td><form method="post" action="{}">{}<button class="btn btn-sm btn-primary" '
                                     'type="submit" data-testid="queue-accept">{}</button></form></td>',
                                     accept_url(r["number"]), csrf, accept_label)
            else:
                accept = format_html('<td><a class="btn btn-sm btn-outline-secondary" href="{}" '
                                     'data-testid="queue-complete">{}</a></td>', r["url"], complete_label)
        out.append(format_html(QUEUE_ROW, r["number"], r["url"], r["number"], major if r.get("major") else "",
                               waiting if r.get("waiting_on") else "", r["level"]["label"], r["status_label"],
                               r["customer"], r["reason"], r["owner"], due, accept))
    return _joined(out)


@register.simple_tag(takes_context=True)
def queue_rows(context: template.Context, rows: Iterable[Mapping[str, Any]], may_accept: bool) -> SafeString:
    return queue_rows_html(rows, may_accept=bool(may_accept), csrf=csrf_input(context) if may_accept else mark_safe(""))


# the number, the status and the owner are never broken over two lines, nor a date at its hyphen, nor
# a unit's name inside a word (a status of three Chinese characters, 总部 and the dates were, at 1366
# pixels); the reason gives way
LIST_ROW = ("\n    <tr data-number=\"{}\" data-row>\n      {}\n"
            "      <td data-label=\"{}\"><a class=\"text-nowrap\" href=\"{}\">{}</a>{}</td>\n"
            "      <td data-label=\"{}\"><span class=\"badge text-bg-light border\">{}</span></td>\n"
            "      <td data-label=\"{}\" class=\"text-nowrap\">{}</td>\n      <td data-label=\"{}\">{}</td>\n"
            "      <td data-label=\"{}\">{}</td>\n      <td data-label=\"{}\" class=\"cell-reason\">{}</td>\n"
            "      <td data-label=\"{}\" class=\"text-nowrap\">{}</td>\n"
            "      <td data-label=\"{}\" class=\"cell-keep\" data-testid=\"row-unit\">{}</td>\n"
            "      <td data-label=\"{}\">{}</td>\n      <td data-label=\"{}\">{}</td>\n    </tr>\n  ")


def list_rows_html(items: Iterable[Mapping[str, Any]], *, may_bulk: bool, now: datetime) -> SafeString:
    """The ``<tr>`` of each complaint of the list page (``console._items``); the reply due time in
    red while it is past for an open, unresolved complaint."""
    labels = [_("Number"), _("Level"), _("Status"), _("Category"), _("Customer"), _("Reason"), _("Owner"),
              _("Unit"), _("Registered"), _("Reply due")]
    select = _("Select")
    zone = local_zone()
    incomplete = format_html(' <span class="badge text-bg-danger" title="{}">{}</span>', _("missing facts"),
                             _("incomplete"))
    out = []
    for c in items:
        number = c["number"]
        check = format_html('<td data-label="{}"><input class="form-check-input" type="checkbox" name="numbers" '
                            'value="{}" form="bulk" aria-label="{} {}" data-testid="select-row"></td>',
                            select, number, select, number) if may_bulk else ""
        due_at = c.get("reply_due_at")
        reply_due: str = "—"
        if due_at:
            late = due_at < now and c.get("open") and c.get("status") != "resolved"
            reply_due = format_html('<span class="{}">{}</span>', "text-danger fw-semibold" if late else "",
                                    stamp(due_at, zone))
        out.append(format_html(
            LIST_ROW, number, check, labels[0], c["url"], number, "" if c.get("complete") else incomplete,
            labels[1], c["level"]["label"], labels[2], c["status_label"], labels[3], c["category"]["label"],
            labels[4], c["customer"], labels[5], c["reason"], labels[6], c["owner"], labels[7], c["unit"]["name"],
            labels[8], stamp(c.get("registered_at"), zone), labels[9], reply_due))
    return _joined(out)


@register.simple_tag
def list_rows(items: Iterable[Mapping[str, Any]], may_bulk: bool, now: datetime) -> SafeString:
    return list_rows_html(items, may_bulk=bool(may_bulk), now=now)


INBOX_CARD = ("\n<div class=\"card mb-3{}\" data-testid=\"inbox-order\" data-number=\"{}\"><div class=\"card-body\">\n"
              "  <div class=\"d-flex flex-wrap justify-content-between gap-2\">\n"
              "    <div><strong>{}</strong> · {} · <a href=\"{}\">{}</a>{}{}</div>\n"
              "    <div>{} {} {} {} <span class=\"badge text-bg-secondary\">{}</span></div>\n"
              "  </div>\n  <p class=\"pre-line mt-2 mb-2\">{}</p>\n  {}\n  {}\n</div></div>\n")
INBOX_REPLY_FORM = (
    "\n  <form method=\"post\" action=\"{}\" enctype=\"multipart/form-data\" data-testid=\"reply-form\">{}\n"
    "    <label class=\"form-label\" for=\"reply-{}\">{}</label>\n"
    "    <textarea class=\"form-control mb-2\" id=\"reply-{}\" name=\"reply\" rows=\"2\"></textarea>\n"
    "    <div class=\"d-flex gap-2 align-items-center\"><input class=\"form-control form-control-sm w-auto\" "
    "type=\"file\" name=\"files\" multiple accept=\"image/*,application/pdf\" aria-label=\"{}\">\n"
    "    <button class=\"btn btn-primary btn-sm\" type=\"submit\" data-testid=\"reply-submit\">{}</button></div>\n"
    "  </form>")


def inbox_cards_html(rows: Iterable[Mapping[str, Any]], *, csrf: SafeString) -> SafeString:
    """The card of each work order of the department inbox (``work_orders.inbox_view``)."""
    complaint_url, reply_url = url_maker("complaint-detail"), url_maker("work-order-reply")
    zone = local_zone()
    kind_badge = format_html(' <span class="badge text-bg-primary">{}</span>', _("complaint work order"))
    urgent_badge = format_html(' <span class="badge text-bg-warning">{}</span>', _("urgent"))
    overdue_badge = format_html('<span class="badge text-bg-danger" data-testid="inbox-overdue">{}</span>',
                                _("overdue"))
    due, answer, proof, send = _("due"), _("Answer of the department"), _("Proof"), _("Send answer")
    out = []
    for o in rows:
        reply = format_html('<div class="p-2 bg-body-tertiary rounded pre-line"><strong>{}</strong>: {}</div>',
                            o["replied_by"], o["reply"]) if o.get("reply") else ""
        form = format_html(INBOX_REPLY_FORM, reply_url(o["id"]), csrf, o["id"], answer,
                           o["id"], proof, send) if o.get("status") == "open" else ""
        badge = o.get("badge")
        out.append(format_html(
            INBOX_CARD, " border-danger" if o.get("overdue") else "", o["number"], o["number"], o["level_label"],
            complaint_url(o["complaint"]), o["complaint"], kind_badge if o.get("kind") == "complaint" else "",
            urgent_badge if o.get("urgent") else "", due, minute(o.get("due_at"), zone),
            deadline_badge(badge) if badge else "", overdue_badge if o.get("overdue") else "", o["status_label"],
            o["request"], reply, form))
    return _joined(out)


@register.simple_tag(takes_context=True)
def inbox_cards(context: template.Context, rows: Iterable[Mapping[str, Any]]) -> SafeString:
    return inbox_cards_html(rows, csrf=csrf_input(context))
