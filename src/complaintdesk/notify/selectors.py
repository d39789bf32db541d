"""Reads of the signed-in user's staff notices, rendered in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from complaintdesk.core.i18n import current_language
from complaintdesk.notify.models import Message
from complaintdesk.notify.notices import Notice, kind_label, notice_view

PAGE_SIZE = 25


def _internal(user: Any) -> Any:
    return Message.objects.filter(recipient_user=user, channel=Message.Channel.INTERNAL)


def notices_of(user: Any, *, unread: bool = False, limit: int = 200) -> list[Notice]:
    """The user's latest internal notices, newest first, in the language of the current request."""
    messages = _internal(user).select_related("complaint")
    if unread:
        messages = messages.filter(read_at__isnull=True)
    language = current_language()
    return [notice_view(message, language) for message in messages.order_by("-id")[:limit]]


def unread_count(user: Any) -> int:
    return _internal(user).filter(read_at__isnull=True).count()


@dataclass
class FoldedNotice:
    """One line of the notices page: a notice, and how many of the same kind about the same complaint
    came just before it (a missed daily update flagged every day reads once, "× 5")."""

    notice: Notice
    count: int = 1
    ids: list[int] = field(default_factory=list)


@dataclass
class NoticePage:
    rows: list[FoldedNotice]
    page: int
    pages: int
    total: int
    unread: int


def fold(notices: list[Notice]) -> list[FoldedNotice]:
    """Fold runs of notices of one kind about one complaint (newest first) into one line each."""
    rows: list[FoldedNotice] = []
    for notice in notices:
        last = rows[-1] if rows else None
        if last is not None and last.notice.kind == notice.kind and last.notice.complaint == notice.complaint \
                and notice.complaint is not None:
            last.count += 1
            last.ids.append(notice.id)
            continue
        rows.append(FoldedNotice(notice=notice, ids=[notice.id]))
    return rows


def notice_kinds(user: Any) -> list[tuple[str, str]]:
    """The kinds of notice the user has received, with their names in the page's language, by name."""
    kinds = set(_internal(user).values_list("kind", flat=True).distinct())
    return sorted(((kind, kind_label(kind)) for kind in kinds), key=lambda item: item[1])


def notice_page(user: Any, *, page: int = 1, unread_only: bool = False, kind: str = "",
                per_page: int = PAGE_SIZE) -> NoticePage:
    """One page of the user's notices (of one kind when ``kind`` is given), newest first, folded;
    ``page`` is clamped to the pages there are."""
    messages = _internal(user)
    if unread_only:
        messages = messages.filter(read_at__isnull=True)
    if kind:
        messages = messages.filter(kind=kind)
    total = messages.count()
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    start = (page - 1) * per_page
    language = current_language()
    chosen = messages.select_related("complaint").order_by("-id")[start:start + per_page]
    return NoticePage(rows=fold([notice_view(m, language) for m in chosen]), page=page, pages=pages, total=total,
                      unread=unread_count(user))
