"""Notices to staff: one sender, texts that each app registers, rendered in the reader's language.

A notice is stored as its kind (a code) and its parameters; its subject and body are rendered when
somebody reads it, in the language of the page or the API call (DESIGN.md rule 11). Apps register
the text of each kind once (``notice_register`` in their ``AppConfig.ready()``); the sender refuses
a kind nobody registered.

Parameters are JSON values. A value that reads differently per language is stored in both
languages as ``{"zh": …, "en": …}``: a policy ``Text``, a lazy translation, or a callable of the
language (``local_moment(...)`` for a date and time) is turned into that pair when the notice is sent. A
notice stored before parameters were kept (``params`` is null) shows the subject and body written
when it was sent.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone, translation
from django.utils.functional import Promise

from complaintdesk.notify.models import Message
from complaintdesk.notify.preferences import Choice, NoticeGroup, choices_for, group_of
from complaintdesk.notify.services import internal_sent, message_queue
from complaintdesk.notify.tasks import deliver_message
from complaintdesk.policy.rules import format_moment

# the product's two languages, as Django names them and as the policy's texts name them
LANGUAGES = {"zh": "zh-hans", "en": "en"}


@dataclass(frozen=True)
class NoticeText:
    """The subject and the body of one kind of notice: lazy translations with ``%(name)s``
    placeholders filled from the notice's parameters (``number`` is the complaint's number)."""

    subject: str | Promise
    body: str | Promise


NOTICES: dict[str, NoticeText] = {}


def _text_of(kind: str) -> NoticeText | None:
    """The text of a kind; a kind registered as ``prefix_*`` covers ``prefix_<anything>`` (a notice
    sent once per year is ``calendar_provisional_2027``)."""
    text = NOTICES.get(kind)
    if text is None and "_" in kind:
        text = NOTICES.get(kind.rsplit("_", 1)[0] + "_*")
    return text


def kind_label(kind: str) -> str:
    """What a kind of notice is called on the page's filter: its subject without parameters."""
    text = _text_of(kind)
    if text is None:
        return kind.replace("_", " ")
    return re.sub(r"\s*[:：]?\s*%\(\w+\)[sd]", "", str(text.subject)).strip() or kind.replace("_", " ")


def notice_register(kind: str, *, subject: str | Promise, body: str | Promise) -> None:
    """Declare the text of a kind of notice. Registering a kind twice with another text is a
    programming error (two apps would fight over one code)."""
    text = NoticeText(subject, body)
    existing = NOTICES.get(kind)
    if existing is not None and existing != text:
        raise ValueError(f"notice kind {kind!r} is already registered with another text")
    NOTICES[kind] = text


def local_moment(value: datetime, timezone_name: str) -> Callable[[str], str]:
    """A date and time as a notice parameter: shown in the organisation's time zone, written the
    way the reader's language writes it."""
    local = value.astimezone(ZoneInfo(timezone_name))
    return lambda language: format_moment(local, language)


def _stored(value: Any) -> Any:
    """A parameter as it is kept: plain JSON, or both languages of a value that depends on one."""
    if hasattr(value, "zh") and hasattr(value, "en") and hasattr(value, "get"):  # a policy Text
        return {"zh": str(value.zh), "en": str(value.en)}
    if isinstance(value, Promise):
        pairs = {}
        for key, language in LANGUAGES.items():
            with translation.override(language):
                pairs[key] = str(value)
        return pairs
    if callable(value):
        pairs = {}
        for key, language in LANGUAGES.items():
            with translation.override(language):
                pairs[key] = str(value(language))
        return pairs
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [_stored(item) for item in value]
    return str(value)


def _shown(value: Any, language: str) -> Any:
    if isinstance(value, dict) and set(value) == set(LANGUAGES):
        return value["zh"] if language.lower().startswith("zh") else value["en"]
    if isinstance(value, list):
        return " ".join(str(_shown(item, language)) for item in value)
    return "" if value is None else value


def _render(text: NoticeText, params: Mapping[str, Any], language: str) -> tuple[str, str]:
    values = {key: _shown(value, language) for key, value in params.items()}
    with translation.override(language):
        return str(text.subject) % values, str(text.body) % values


def notice_render(kind: str, params: Mapping[str, Any] | None, language: str) -> tuple[str, str] | None:
    """The subject and body of a stored notice in ``language``; None when the kind is not
    registered, the notice has no parameters (stored as text) or its parameters no longer fit
    the text: the reader then sees the text stored when it was sent."""
    text = _text_of(kind)
    if text is None or params is None:
        return None
    try:
        return _render(text, params, language)
    except (KeyError, TypeError, ValueError):
        return None


def notice_send(*, users: Iterable[Any], kind: str, complaint: Any = None, **params: Any) -> int:
    """Queue one internal notice for each user (each once; ``None`` skipped), as each chose for the
    kind's group (notify.preferences): on the notices page; also an e-mail copy, delivered by the
    worker after the caller's transaction commits; or nothing. Runs inside the caller's
    transaction. Returns how many users were notified."""
    text = _text_of(kind)
    if text is None:
        raise ValueError(f"notice kind {kind!r} has no registered text")
    stored = {"number": complaint.number if complaint is not None else "",
              **{key: _stored(value) for key, value in params.items()}}
    recipients: dict[int, Any] = {}
    for user in users:
        if user is not None:
            recipients.setdefault(user.pk, user)
    choices = choices_for(recipients.values(), group_of(kind))
    sent = 0
    for user in recipients.values():
        choice = choices[user.pk]
        if choice == Choice.OFF:
            continue
        # the text in the recipient's language as of now: what a transport sends, and the fallback
        subject, body = _render(text, stored, user.language)
        message_queue(actor=None, kind=kind, channel=Message.Channel.INTERNAL, recipient=user.username, body=body,
                      language=user.language, subject=subject, complaint=complaint, recipient_user=user,
                      params=stored)
        if choice == Choice.EMAIL and (user.email or "").strip():
            # the copy names the complaint in its text, not as its complaint: a staff e-mail is no
            # message to the customer and does not go on the complaint's timeline
            message_queue(actor=None, kind=kind, channel=Message.Channel.EMAIL, recipient=user.email.strip(),
                          body=body, language=user.language, subject=subject, recipient_user=user, params=stored)
        sent += 1
    return sent


@dataclass(frozen=True)
class NoticeOut:
    """One notice of :func:`notices_send`: what ``notice_send(users=, kind=, complaint=, **params)`` takes."""

    users: tuple[Any, ...]
    kind: str
    complaint: Any = None
    params: Mapping[str, Any] = field(default_factory=dict)


def notices_send(notices: Sequence[NoticeOut]) -> int:
    """``notice_send`` for many notices at once (the clock sweep's batch): the same messages, with one
    read of the preferences per group of kinds and one insert of all the messages; the notices are
    stored as sent and each e-mail copy's delivery task is enqueued one by one, as ``message_queue``
    does (the task backend's own call).
    Runs inside the caller's transaction. Returns how many (notice, user) pairs were notified."""
    prepared = []
    groups: dict[str, NoticeGroup] = {}
    wanted: dict[str, dict[int, Any]] = {}
    for notice in notices:
        text = _text_of(notice.kind)
        if text is None:
            raise ValueError(f"notice kind {notice.kind!r} has no registered text")
        stored = {"number": notice.complaint.number if notice.complaint is not None else "",
                  **{key: _stored(value) for key, value in notice.params.items()}}
        recipients: dict[int, Any] = {}
        for user in notice.users:
            if user is not None:
                recipients.setdefault(user.pk, user)
        group = group_of(notice.kind)
        groups[group.code] = group
        wanted.setdefault(group.code, {}).update(recipients)
        prepared.append((notice, text, stored, group, recipients))
    choices = {code: choices_for(users.values(), groups[code]) for code, users in wanted.items()}
    now = timezone.now()
    internal = internal_sent(now)
    rows: list[Message] = []
    sent = 0
    for notice, text, stored, group, recipients in prepared:
        for user in recipients.values():
            choice = choices[group.code][user.pk]
            if choice == Choice.OFF:
                continue
            subject, body = _render(text, stored, user.language)
            rows.append(Message(kind=notice.kind, channel=Message.Channel.INTERNAL, recipient=user.username, body=body,
                                language=user.language, subject=subject, complaint=notice.complaint,
                                recipient_user=user, params=stored, created_at=now, **internal))
            if choice == Choice.EMAIL and (user.email or "").strip():
                rows.append(Message(kind=notice.kind, channel=Message.Channel.EMAIL, recipient=user.email.strip(),
                                    body=body, language=user.language, subject=subject, recipient_user=user,
                                    params=stored, created_at=now))
            sent += 1
    for message in Message.objects.bulk_create(rows):
        if message.channel != Message.Channel.INTERNAL:  # a staff notice is stored as sent (message_queue)
            deliver_message.enqueue(message.pk)
    return sent


@dataclass(frozen=True)
class Notice:
    """A notice as its reader sees it."""

    id: int
    kind: str
    subject: str
    body: str
    complaint: str | None
    created_at: datetime
    read: bool


def notice_view(message: Message, language: str) -> Notice:
    """A stored notice in the reader's language (falls back to the text stored when it was sent)."""
    subject, body = notice_render(message.kind, message.params, language) or (message.subject, message.body)
    return Notice(id=message.pk, kind=message.kind, subject=subject, body=body,
                  complaint=message.complaint.number if message.complaint is not None else None,
                  created_at=message.created_at, read=message.read_at is not None)
