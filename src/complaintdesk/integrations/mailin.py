"""Mail in: a mail to the complaint address becomes a complaint through the registration service,
or a reply on the complaint it answers; automatic replies and bounces are recognised and kept out.

Threading: a reply names one of our messages in ``In-Reply-To``/``References``
(``<complaintdesk-message-N@…>``, see notify.transports.message_id_header) or carries the complaint
number in its subject; either way the sender must be the complaint's customer (by e-mail address),
so nobody adds to a complaint that is not theirs by guessing a number. Anything else is a new
complaint, classified as ``COMPLAINTDESK_MAIL_CLASSIFICATION`` says and owned by
``COMPLAINTDESK_MAIL_OWNER`` for an agent to check; required facts a mail does not give leave the
complaint incomplete, as at the desk.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import parseaddr
from html.parser import HTMLParser
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaintdesk.accounts.models import User
from complaintdesk.complaints import contact_index
from complaintdesk.complaints.inputs import CustomerInput, RegistrationInput
from complaintdesk.complaints.models import Complaint, CustomerDigest
from complaintdesk.complaints.services import complaint_register
from complaintdesk.complaints.services.common import timeline_add
from complaintdesk.complaints.services.intake import whole_name
from complaintdesk.complaints.services.work import MAX_UPLOAD, check_upload, store_upload
from complaintdesk.core.audit import audit
from complaintdesk.core.errors import Problems, ValidationFailed
from complaintdesk.integrations.models import InboundMail
from complaintdesk.notify.models import Message
from complaintdesk.notify.notices import notice_register, notice_send
from complaintdesk.policy import rules
from complaintdesk.policy.schema import Policy
from complaintdesk.units.models import Unit, root_unit
from complaintdesk.units.policies import unit_policy

MAX_MAIL = 25 * 1024 * 1024
# what a complaint's reason, its description and a reply on the timeline hold of a mail; a longer text
# is kept whole as a .txt attachment, and what is shown ends with a note saying so
REASON_LIMIT = 500
TEXT_LIMIT = 8000  # the registration's limit for the description (complaints/services/intake.py)
_OUR_ID = re.compile(r"<complaintdesk-message-(\d+)@")
_CJK = re.compile(r"[\u3400-\u9fff]")
_AUTO_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
# the subjects vacation and "mail received" answers put first, for the answers that carry none of the
# headers (several Chinese webmail services send "自动回复：<subject>" so)
_AUTO_SUBJECT = re.compile(r"^\s*(自动回复|自動回覆|自动答复|自動回復|auto(matic)?[ -]?reply|autoreply"
                           r"|out of (the )?office)\s*[:：]", re.IGNORECASE)
# Chinese mail clients label text "gb2312" (or "gbk") and write characters only GBK knows (镕, 喆 …):
# GB18030 contains both, so text under any of these labels is read as GB18030
_GB_LABELS = {"gb2312", "gbk", "x-gbk", "cp936", "ms936", "euc-cn", "x-euc-cn", "csgb2312", "gb_2312-80", "chinese"}
_GB_WORD = re.compile(r"=\?(gb2312|gbk|x-gbk|cp936|euc-cn)(\*[^?]*)?\?", re.IGNORECASE)  # RFC 2047
_GB_2231 = re.compile(r"(\*=\s*\"?)(gb2312|gbk|x-gbk|cp936|euc-cn)'", re.IGNORECASE)  # RFC 2231 parameters
_DECODED_HEADERS = ("Subject", "From", "Reply-To", "Content-Type", "Content-Disposition")


class MailSetupError(Exception):
    """The mail intake is not configured (owner or classification); the message names the setting."""


@dataclass
class MailResult:
    outcome: str
    number: str = ""
    problems: list[dict[str, str]] = field(default_factory=list)
    duplicate: bool = False


def parse(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)  # noqa: S101 (the default policy always builds EmailMessage)
    for part in message.walk():
        assert isinstance(part, EmailMessage)  # noqa: S101 (as above, for every part)
        _read_chinese_headers(part)
    return message


def decode_text(data: bytes, charset: str | None) -> str:
    """Text in its declared charset (a GB2312/GBK label read as GB18030); text that is not what its
    label says, or has none, is tried as UTF-8 and then as GB18030 before anything is replaced."""
    declared = (charset or "").strip().lower()
    declared = "gb18030" if declared in _GB_LABELS else declared
    for candidate in dict.fromkeys(c for c in (declared, "utf-8", "gb18030") if c):
        try:
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", "replace")


def _read_chinese_headers(part: EmailMessage) -> None:
    """Headers as Chinese mail writes them: encoded words and RFC 2231 parameters labelled GB2312 or
    GBK are read as GB18030, and a header sent as raw 8-bit text (no encoded words) as UTF-8, else
    GB18030 — where the email package would put replacement characters in names and subjects."""
    for name, raw in list(part.raw_items()):
        if name.lower() not in {n.lower() for n in _DECODED_HEADERS}:
            continue
        unfolded = re.sub(r"\r?\n", "", str(raw))
        value = unfolded
        if any("\udc80" <= ch <= "\udcff" for ch in value):  # undecodable bytes kept by the parser
            value = decode_text(value.encode("ascii", "surrogateescape"), None)
        value = _GB_2231.sub(r"\1gb18030'", _GB_WORD.sub(lambda m: f"=?gb18030{m.group(2) or ''}?", value))
        if value != unfolded:
            part.replace_header(name, email.policy.default.header_factory(name, value))


def is_bounce(message: EmailMessage, envelope_from: str = "") -> bool:
    """A delivery status notification (RFC 3464) or a mail from the mailer daemon."""
    if message.get_content_type() == "multipart/report" and \
            message.get_param("report-type", header="content-type") == "delivery-status":
        return True
    if any(part.get_content_type() == "message/delivery-status" for part in message.walk()):
        return True
    sender = parseaddr(str(message.get("From", "")))[1].lower()
    local = sender.split("@", 1)[0]
    # the empty envelope sender: given by the SMTP session, or (a mail read from a mailbox or a file)
    # in the Return-Path the delivering server wrote
    null_sender = envelope_from == "<>" or str(message.get("Return-Path", "")).strip() == "<>"
    return null_sender or local in {"mailer-daemon", "postmaster"}


def is_auto_reply(message: EmailMessage) -> bool:
    """Auto-Submitted other than "no" (RFC 3834), X-Autoreply / X-Autorespond, Precedence bulk/junk/
    list/auto_reply, a subject that starts as automatic answers do ("自动回复：", "Automatic reply:",
    "Out of Office:" …), or a vacation answer that says so in X-Auto-Response-Suppress."""
    auto = str(message.get("Auto-Submitted", "")).strip().lower()
    if auto and auto != "no":
        return True
    if _AUTO_SUBJECT.match(str(message.get("Subject", ""))):
        return True
    if message.get("X-Autoreply") or message.get("X-Autorespond") or message.get("X-Autoresponse"):
        return True
    if str(message.get("Precedence", "")).strip().lower() in _AUTO_PRECEDENCE:
        return True
    return "oof" in str(message.get("X-Auto-Response-Suppress", "")).lower() and \
        str(message.get("X-MS-Exchange-Generated-Message-Source", "")) != ""


class _HtmlText(HTMLParser):
    """The text a reader sees in an HTML mail: what scripts, styles and the head hold is left out,
    entities are read (``&amp;`` is ``&``), and blocks and ``<br>`` end lines."""

    _HIDDEN = frozenset({"head", "title", "style", "script", "template", "noscript"})
    _BLOCKS = frozenset({"br", "p", "div", "li", "tr", "table", "ul", "ol", "blockquote", "pre", "hr",
                         "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":  # a head (or a style) left open ends where the body starts
            self.hidden = 0
        elif tag in self._HIDDEN:
            self.hidden += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_text(html: str) -> str:
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    lines = (re.sub(r"[ \t\xa0]+", " ", line).strip() for line in "".join(parser.parts).splitlines())
    return "\n".join(lines)


def body_text(message: EmailMessage) -> str:
    """The plain-text body (or the text of the HTML body) as the customer wrote it."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    payload = part.get_payload(decode=True)
    text = decode_text(payload, part.get_content_charset()) if isinstance(payload, bytes) else ""
    text = text.replace("\r\n", "\n")
    if part.get_content_type() == "text/html":
        text = html_text(text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def attachments_of(message: EmailMessage) -> list[tuple[str, bytes]]:
    out = []
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            out.append(((part.get_filename() or "attachment")[:200], payload))
    return out


def _key(message: EmailMessage, raw: bytes) -> str:
    message_id = str(message.get("Message-ID", "")).strip()
    return message_id[:255] if message_id else "sha256:" + hashlib.sha256(raw).hexdigest()


def _threaded(message: EmailMessage, sender: str) -> Complaint | None:
    """The complaint this mail answers, if the sender (the address in ``From``) is its customer."""
    headers = " ".join(str(message.get(name, "")) for name in ("In-Reply-To", "References"))
    ids = [int(value) for value in _OUR_ID.findall(headers)]
    candidates: list[Complaint] = []
    if ids:
        numbers = Message.objects.filter(pk__in=ids, complaint__isnull=False).values_list("complaint_id", flat=True)
        candidates = list(Complaint.objects.filter(pk__in=list(numbers)).select_related("customer"))
    if not candidates:
        tokens = set(re.findall(r"[A-Za-z0-9][A-Za-z0-9-]{5,40}", str(message.get("Subject", ""))))
        if tokens:
            candidates = list(Complaint.objects.filter(number__in=tokens).select_related("customer"))
    for complaint in candidates:
        if sender and complaint.customer.email.lower() == sender:
            return complaint
    return None


def _owner() -> User:
    username = settings.COMPLAINTDESK_MAIL_OWNER
    if not username:
        raise MailSetupError("set COMPLAINTDESK_MAIL_OWNER to the user who owns complaints that arrive by mail")
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise MailSetupError(f"COMPLAINTDESK_MAIL_OWNER: no active user {username!r}")
    return user


def _classification() -> dict[str, Any]:
    raw = settings.COMPLAINTDESK_MAIL_CLASSIFICATION
    if not raw:
        raise MailSetupError('set COMPLAINTDESK_MAIL_CLASSIFICATION, e.g. {"category": "product", '
                             '"reason_codes": ["product_quality", "software"]}')
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise MailSetupError(f"COMPLAINTDESK_MAIL_CLASSIFICATION is not JSON: {exc}") from exc
    if not isinstance(value, dict) or not {"category", "reason_codes"} <= set(value):
        raise MailSetupError("COMPLAINTDESK_MAIL_CLASSIFICATION needs category and reason_codes (targets optional)")
    return value


def _unit() -> str:
    code = str(getattr(settings, "COMPLAINTDESK_MAIL_UNIT", "") or "").strip()
    if code and not Unit.objects.filter(code=code, active=True).exists():
        raise MailSetupError(f"COMPLAINTDESK_MAIL_UNIT: no active organisation unit {code!r}")
    return code


def _landing_policy(code: str) -> Policy:
    """The policy in force where mail lands: at the unit ``code`` names, else at head office."""
    return unit_policy(Unit.objects.get(code=code) if code else root_unit())[1]


def check_setup() -> None:
    """Raise MailSetupError naming the missing or wrong setting (the server checks before it
    listens): the owner, the classification and the unit, and that the policy in force where mail
    lands has the channel, the category and the reason path they name — else every mail would be
    refused one by one."""
    _owner()
    classification = _classification()
    policy = _landing_policy(_unit())
    channels = [c.code for c in policy.channels]
    if settings.COMPLAINTDESK_MAIL_CHANNEL not in channels:
        raise MailSetupError(f"COMPLAINTDESK_MAIL_CHANNEL: the policy {policy.id} has no channel "
                             f"{settings.COMPLAINTDESK_MAIL_CHANNEL!r}; its channels: {', '.join(channels)}")
    categories = [c.code for c in policy.categories]
    if classification["category"] not in categories:
        raise MailSetupError(f"COMPLAINTDESK_MAIL_CLASSIFICATION: the policy {policy.id} has no category "
                             f"{classification['category']!r}; its categories: {', '.join(categories)}")
    if rules.reason_path(policy, list(classification["reason_codes"])) is None:
        raise MailSetupError(f"COMPLAINTDESK_MAIL_CLASSIFICATION: {classification['reason_codes']!r} is not a "
                             f"path of the policy {policy.id}'s reason tree (codes from the top down)")


def _name(display: str) -> dict[str, str]:
    display = display.strip().strip('"')
    if not display or "@" in display:
        return {}
    if _CJK.search(display) or " " not in display:
        return {"last_name": display[:80]}
    first, _sep, last = display.rpartition(" ")
    return {"first_name": first[:80], "last_name": last[:80]}


def _keep_attachments(files: list[tuple[str, bytes]], *, complaint: Complaint, actor: Any,
                      now: datetime, written: list[Any]) -> list[dict[str, Any]]:
    """Same checks as uploads (size, type by content); a refused file is listed with the reason.
    ``written`` receives each file stored, for :func:`_discard` should the transaction not commit."""
    kept: list[dict[str, Any]] = []
    for name, content in files:
        upload = SimpleUploadedFile(name, content)
        problems = Problems()
        check_upload(upload, "attachment", problems)
        if problems:  # stored as a code, read in the reader's language (integrations.timeline)
            kept.append({"name": name, "kept": False, "reason": "too_large" if len(content) > MAX_UPLOAD else "type"})
            continue
        attachment = store_upload(upload, complaint=complaint, actor=actor, now=now)
        written.append(attachment.file)
        kept.append({"name": name, "kept": True, "attachment": attachment.pk})
    return kept


def _full_text_name() -> str:
    return _("e-mail-full-text.txt")


def _cut(value: str, room: int) -> str:
    return value if len(value) <= room else value[:room - 1].rstrip() + "…"


def _keep_full_text(content: str, *, name: str, complaint: Complaint, actor: Any, now: datetime,
                    written: list[Any]) -> int:
    """The whole text of a mail longer than the complaint holds, kept as a .txt attachment through the
    path of the mail's files (stored and served like them); returns the attachment's id."""
    upload = SimpleUploadedFile(name, content.encode("utf-8"))
    attachment = store_upload(upload, complaint=complaint, actor=actor, now=now,
                              content_type="text/plain; charset=utf-8")
    written.append(attachment.file)
    return attachment.pk


def _register(message: EmailMessage, sender: str, display: str, text: str, now: datetime,
              attached: bool, written: list[Any]) -> tuple[Complaint, Any]:
    owner = _owner()
    classification = _classification()
    subject = str(message.get("Subject", "")).strip()
    language = "zh-hans" if _CJK.search(subject + text) else "en"
    customer: dict[str, Any] = {"email": sender, "language": language, **_name(display)}
    policy = _landing_policy(unit_code := _unit())
    if not (customer.get("first_name") or customer.get("last_name")):
        with translation.override(language):
            customer["name_note"] = _("The e-mail does not give the sender's name.")
    elif policy.full_name and not whole_name(customer.get("first_name", ""), customer.get("last_name", "")):
        with translation.override(language):  # the policy asks for both names (000 1.1(1))
            customer["name_note"] = _("The e-mail gives the sender's name in one part only.")
    with translation.override(language):
        request = _("Not stated separately in the e-mail; see the description.")
        # a mail of one line in its subject, or of photos alone, is a complaint too (it was refused)
        description = str(text or subject or (_("The e-mail has no text; see its attachments.") if attached else ""))
        reason = subject or (description.splitlines()[0] if description else "")
        full_text = name = ""
        if len(reason) > REASON_LIMIT or len(description) > TEXT_LIMIT:
            # nothing of the mail is lost: its subject and text go whole into an attachment
            full_text = f"{subject}\n\n{text}" if subject and text else (text or subject)
            name = _full_text_name()
            note = _("The e-mail is longer than the complaint holds; its full text is attached as %(name)s.") % {
                "name": name}
            reason = _cut(reason, REASON_LIMIT)
            description = _cut(description, TEXT_LIMIT - len(note) - 2) + "\n\n" + note
    data = RegistrationInput(customer=CustomerInput(**customer), channel=settings.COMPLAINTDESK_MAIL_CHANNEL,
                             category=classification["category"], targets=classification.get("targets", []),
                             reason_codes=classification["reason_codes"], reason=reason,
                             description=description, customer_request=str(request), unit=unit_code)
    complaint = complaint_register(actor=owner, data=data, now=now)
    if full_text:
        _keep_full_text(full_text, name=name, complaint=complaint, actor=owner, now=now, written=written)
    return complaint, owner


@transaction.atomic
def _record_reply(complaint: Complaint, message: EmailMessage, sender: str, text: str,
                  files: list[tuple[str, bytes]], now: datetime, written: list[Any]) -> list[dict[str, Any]]:
    """The customer's answer on the complaint's timeline, their files kept, the owner told."""
    owner = complaint.owner or _owner()
    kept = _keep_attachments(files, complaint=complaint, actor=owner, now=now, written=written)
    subject = str(message.get("Subject", ""))[:255]
    extra: dict[str, Any] = {}
    if len(text) > TEXT_LIMIT:  # the timeline shows the start; the whole text is attached (integrations.timeline)
        with translation.override(complaint.language or None):
            name = _full_text_name()
        extra = {"full_text": name, "full_text_attachment": _keep_full_text(
            text, name=name, complaint=complaint, actor=owner, now=now, written=written)}
    timeline_add(complaint, "customer_mail", None, at=now, sender=sender, subject=subject, text=_cut(text, TEXT_LIMIT),
                 attachments=kept, **extra)
    audit(actor=None, action="complaint.customer_mail", obj=complaint, complaint_number=complaint.number,
          after={"sender": sender, "subject": subject, "attachments": [a["name"] for a in kept if a["kept"]]})
    if complaint.owner is not None:
        notice_send(users=[complaint.owner], complaint=complaint, kind="customer_mail", sender=sender)
    return kept


def _customer_address(message: EmailMessage) -> tuple[str, str]:
    """The name and address a new complaint from this mail is registered for: the ``Reply-To``
    (a web form or a relay writing for the customer) unless it names a customer on record whom the
    ``From:`` address does not: anyone may set a Reply-To, and a mail must not put a complaint, a
    name and an acknowledgement on another person's record. Then the ``From:`` address counts."""
    display, author = parseaddr(str(message.get("From", "")))
    reply_display, reply_to = parseaddr(str(message.get("Reply-To", "")))
    author, reply_to = author.lower(), reply_to.lower()
    if not reply_to:
        return display, author
    if reply_to == author:
        return reply_display or display, author
    if CustomerDigest.objects.filter(digest__in=contact_index.customer_digests("", reply_to, [])).exists():
        return display, author
    return reply_display, reply_to


def mail_receive(raw: bytes, *, envelope_from: str = "", now: datetime | None = None) -> MailResult:
    """Act on one received mail, once per Message-ID. Raises MailSetupError when the intake is not
    configured (the SMTP server answers with a temporary failure, so the sender retries)."""
    now = now or timezone.now()
    message = parse(raw)
    key = _key(message, raw)
    earlier = InboundMail.objects.filter(key=key).first()
    if earlier is not None:
        return MailResult(earlier.outcome, earlier.complaint.number if earlier.complaint else "",
                          list(earlier.problems), duplicate=True)
    display, sender = _customer_address(message)
    subject = str(message.get("Subject", ""))[:255]
    record: dict[str, Any] = {"key": key, "sender": sender[:255], "subject": subject, "received_at": now,
                              "size": len(raw)}
    if is_bounce(message, envelope_from):
        return _store(record, InboundMail.Outcome.BOUNCE)
    if is_auto_reply(message):
        return _store(record, InboundMail.Outcome.AUTO_REPLY)
    text = body_text(message)
    files = attachments_of(message)
    written: list[Any] = []  # the attachment files stored: their rows roll back with a failure, they do not
    try:
        return _act(message, record, sender, display, text, files, now, written)
    except IntegrityError:  # the same mail, delivered twice at the same moment: the first one counts
        _discard(written)
        earlier = InboundMail.objects.get(key=key)
        return MailResult(earlier.outcome, earlier.complaint.number if earlier.complaint else "", duplicate=True)
    except BaseException:
        _discard(written)
        raise


def _discard(files: list[Any]) -> None:
    """Delete the files of a mail whose transaction rolled back (nothing refers to them)."""
    for stored in files:
        stored.storage.delete(stored.name)


@transaction.atomic
def _act(message: EmailMessage, record: dict[str, Any], sender: str, display: str, text: str,
         files: list[tuple[str, bytes]], now: datetime, written: list[Any]) -> MailResult:
    """The reply or the new complaint and the InboundMail row, in one transaction (a duplicate key on
    the row rolls the complaint back with it)."""
    # a reply counts from the address in From, the one SPF/DKIM/DMARC vouch for: a Reply-To anyone may
    # set (naming the customer) does not put text on the customer's complaint
    author = parseaddr(str(message.get("From", "")))[1].lower()
    complaint = _threaded(message, author)
    if complaint is not None:
        kept = _record_reply(complaint, message, author, text, files, now, written)
        return _store(record, InboundMail.Outcome.REPLY, complaint=complaint, attachments=kept)
    mail_owner = _owner()
    try:
        # the problems of a refused mail are for the mail owner, who is told of them: in their language
        with transaction.atomic(), translation.override(mail_owner.language):
            complaint, owner = _register(message, sender, display, text, now, attached=bool(files), written=written)
            kept = _keep_attachments(files, complaint=complaint, actor=owner, now=now, written=written)
            timeline_add(complaint, "mail_received", None, at=now, sender=sender, subject=record["subject"],
                         attachments=kept)
    except ValidationFailed as exc:
        _discard(written)  # rolled back with the registration
        written.clear()
        problems = [{"field": p.field, "message": str(p.message)} for p in exc.problems]
        # the mail owner registers it by hand: a refused mail is otherwise only a row no page shows
        notice_send(users=[mail_owner], kind="mail_refused", sender=sender, subject=record["subject"],
                    problems=" ".join(problem["message"] for problem in problems))
        return _store(record, InboundMail.Outcome.REFUSED, problems=problems)
    return _store(record, InboundMail.Outcome.CREATED, complaint=complaint, attachments=kept)


def register_notices() -> None:
    notice_register("mail_refused", subject=gettext_lazy("E-mail not registered"),
                    body=gettext_lazy("The e-mail from %(sender)s, “%(subject)s”, could not be registered as a "
                                      "complaint: %(problems)s Register it by hand."))


def _store(record: dict[str, Any], outcome: str, *, complaint: Complaint | None = None,
           attachments: list[dict[str, Any]] | None = None, problems: list[dict[str, str]] | None = None) -> MailResult:
    InboundMail.objects.create(outcome=outcome, complaint=complaint, attachments=attachments or [],
                               problems=problems or [], **record)
    return MailResult(outcome, complaint.number if complaint else "", problems or [])
