"""Mail in through a real SMTP session (smtplib → aiosmtpd on loopback): a new complaint, a threaded
reply (by our Message-ID and by the number in the subject), automatic replies and bounces ignored,
attachments checked like uploads, a mail delivered twice acted on once."""

from __future__ import annotations

import json
import smtplib
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest

from complaintdesk.complaints.models import Attachment, Complaint, TimelineEntry
from complaintdesk.integrations.models import InboundMail
from complaintdesk.notify.models import Message
from complaintdesk.notify.services import message_deliver
from orgkit import install_org

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
CLASSIFICATION = {"category": "product", "targets": ["product"], "reason_codes": ["product_quality", "software"]}


@pytest.fixture
def intake(org_tx: Any, settings: Any) -> Iterator[tuple[str, int]]:
    from complaintdesk.integrations.mailserver import start

    settings.COMPLAINTDESK_MAIL_OWNER = "agent"
    settings.COMPLAINTDESK_MAIL_CLASSIFICATION = json.dumps(CLASSIFICATION)
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = start(f"127.0.0.1:{port}")
    try:
        yield "127.0.0.1", port
    finally:
        controller.stop()


def mail(subject: str, body: str, *, sender: str = "Emily Carter <emily@example.com>", message_id: str = "",
         headers: dict[str, str] | None = None, files: list[tuple[str, bytes, str]] | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "complaints@example.com"
    message["Subject"] = subject
    if message_id:
        message["Message-ID"] = message_id
    for key, value in (headers or {}).items():
        message[key] = value
    message.set_content(body)
    for name, content, kind in files or []:
        main, sub = kind.split("/")
        message.add_attachment(content, maintype=main, subtype=sub, filename=name)
    return message


def send(server: tuple[str, int], message: EmailMessage, envelope_from: str = "emily@example.com") -> None:
    with smtplib.SMTP(*server, timeout=30) as client:
        client.send_message(message, from_addr=envelope_from, to_addrs=["complaints@example.com"])


def test_a_mail_becomes_an_incomplete_complaint_with_its_attachments(intake: Any) -> None:
    send(intake, mail("Phone restarts by itself", "Since the update my phone restarts every hour.",
                      message_id="<m1@example.com>",
                      files=[("photo.png", PNG, "image/png"),
                             ("tool.exe", b"MZ\x90\x00rest", "application/octet-stream")]))
    complaint = Complaint.objects.get()
    assert complaint.channel == "email" and complaint.owner.username == "agent"
    assert complaint.reason == "Phone restarts by itself"
    assert complaint.description == "Since the update my phone restarts every hour."
    assert complaint.customer.email == "emily@example.com" and complaint.customer.last_name == "Carter"
    assert complaint.language == "en"
    assert not complaint.complete and complaint.missing_facts  # the mail gives none of the category's facts
    assert [a.name for a in Attachment.objects.filter(complaint=complaint)] == ["photo.png"]
    record = InboundMail.objects.get()
    assert record.outcome == "created" and record.complaint == complaint
    assert {a["name"]: a["kept"] for a in record.attachments} == {"photo.png": True, "tool.exe": False}
    entry = TimelineEntry.objects.get(complaint=complaint, kind="mail_received")
    assert entry.data["sender"] == "emily@example.com"
    from complaintdesk.complaints.display import timeline_text
    from complaintdesk.core.policies import policy_of

    text = timeline_text(entry, policy_of(complaint.policy_version))
    assert text.startswith("Registered from an e-mail by e") and "emily@example.com" not in text  # masked
    assert "Attachments refused: tool.exe (not a JPEG, PNG, GIF, WebP image or a PDF)." in text
    # the acknowledgement goes back by e-mail, from the policy's template
    assert Message.objects.get(complaint=complaint, kind="acknowledgement").channel == "email"


def test_a_reply_to_our_message_is_threaded_onto_the_complaint(intake: Any, smtp_server: Any) -> None:
    send(intake, mail("Screen flickers", "The screen flickers.", message_id="<m2@example.com>"))
    complaint = Complaint.objects.get()
    acknowledgement = Message.objects.get(complaint=complaint, kind="acknowledgement")
    assert message_deliver(message_id=acknowledgement.pk) == "sent"
    sent = smtp_server.messages[0].content.decode()
    our_id = next(line.split(": ", 1)[1] for line in sent.splitlines() if line.startswith("Message-ID:"))
    send(intake, mail("Re: your complaint", "Here is a photo of the flicker.", message_id="<m3@example.com>",
                      headers={"In-Reply-To": our_id, "References": our_id},
                      files=[("flicker.png", PNG, "image/png")]))
    assert Complaint.objects.count() == 1
    reply = TimelineEntry.objects.get(complaint=complaint, kind="customer_mail")
    assert reply.data["text"] == "Here is a photo of the flicker."
    assert Attachment.objects.filter(complaint=complaint, name="flicker.png").exists()
    assert Message.objects.filter(channel="internal", kind="customer_mail", recipient_user=complaint.owner).exists()
    assert InboundMail.objects.get(key="<m3@example.com>").outcome == "reply"


def test_the_number_in_the_subject_threads_only_for_the_customer(intake: Any) -> None:
    send(intake, mail("Battery drains", "Battery is empty by noon.", message_id="<m4@example.com>"))
    complaint = Complaint.objects.get()
    send(intake, mail(f"Re: Complaint {complaint.number} received", "It got worse.", message_id="<m5@example.com>"))
    assert Complaint.objects.count() == 1
    assert TimelineEntry.objects.filter(complaint=complaint, kind="customer_mail").count() == 1
    # somebody else quoting the number does not write on this complaint: theirs is a new complaint
    send(intake, mail(f"About {complaint.number}", "I have the same problem.", sender="Bob Stone <bob@example.com>",
                      message_id="<m6@example.com>"), envelope_from="bob@example.com")
    assert Complaint.objects.count() == 2
    assert TimelineEntry.objects.filter(complaint=complaint, kind="customer_mail").count() == 1


def test_automatic_replies_and_bounces_are_not_complaints(intake: Any) -> None:
    send(intake, mail("Out of office", "I am away.", message_id="<a1@example.com>",
                      headers={"Auto-Submitted": "auto-replied"}))
    send(intake, mail("Autoreply", "Thanks for your mail.", message_id="<a2@example.com>",
                      headers={"X-Autoreply": "yes"}))
    send(intake, mail("Newsletter", "Our offers.", message_id="<a3@example.com>", headers={"Precedence": "bulk"}))
    bounce = (b"From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\r\n"
              b"To: complaints@example.com\r\nSubject: Undelivered Mail Returned to Sender\r\n"
              b"Message-ID: <b1@mx.example.com>\r\nMIME-Version: 1.0\r\n"
              b"Content-Type: multipart/report; report-type=delivery-status; boundary=\"XX\"\r\n\r\n"
              b"--XX\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n"
              b"--XX\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.com\r\n\r\n"
              b"Final-Recipient: rfc822; x@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n--XX--\r\n")
    with smtplib.SMTP(*intake, timeout=30) as client:
        client.sendmail("", ["complaints@example.com"], bounce)
    assert Complaint.objects.count() == 0
    outcomes = dict(InboundMail.objects.values_list("key", "outcome"))
    assert outcomes == {"<a1@example.com>": "auto_reply", "<a2@example.com>": "auto_reply",
                        "<a3@example.com>": "auto_reply", "<b1@mx.example.com>": "bounce"}


def test_a_mail_delivered_twice_is_acted_on_once(intake: Any) -> None:
    message = mail("Camera blurry", "Photos are blurry.", message_id="<twice@example.com>")
    send(intake, message)
    send(intake, message)
    assert Complaint.objects.count() == 1 and InboundMail.objects.count() == 1


def test_a_chinese_mail_is_registered_in_chinese(intake: Any) -> None:
    send(intake, mail("手机自动重启", "升级后手机每小时自动重启一次。", sender="张伟 <zhangwei@example.com>",
                      message_id="<zh1@example.com>"), envelope_from="zhangwei@example.com")
    complaint = Complaint.objects.get()
    assert complaint.language == "zh-hans" and complaint.customer.last_name == "张伟"
    assert complaint.customer.name_note == ""  # a Chinese name written whole is both names
    assert complaint.customer_request.startswith("邮件中未单独说明")


def test_a_sender_named_in_one_part_is_noted_as_the_policy_asks(intake: Any) -> None:
    """000 1.1(1) (the phone maker's ``full_name``): a mail signed "Emily" gives one name; the complaint
    is registered with a note saying so, as an agent would write it."""
    send(intake, mail("Screen flickers", "The screen flickers at night.", sender="Emily <emily@example.com>",
                      message_id="<one-name@example.com>"))
    customer = Complaint.objects.get().customer
    assert (customer.first_name, customer.last_name) == ("", "Emily")
    assert customer.name_note == "The e-mail gives the sender's name in one part only."


def test_without_setup_the_server_answers_try_later_and_keeps_nothing(intake: Any, settings: Any) -> None:
    settings.COMPLAINTDESK_MAIL_OWNER = ""
    with pytest.raises(smtplib.SMTPDataError) as exc:
        send(intake, mail("Hello", "Body", message_id="<n1@example.com>"))
    assert exc.value.smtp_code == 451
    assert Complaint.objects.count() == 0 and InboundMail.objects.count() == 0


def test_each_mail_closes_its_database_session(intake: Any) -> None:
    # the executor thread that handled the mail keeps no session (it outlives the server's stop())
    import threading

    from django.db import DEFAULT_DB_ALIAS, connections

    from complaintdesk.integrations import mailserver

    sessions: list[object] = []
    original = mailserver.mail_receive

    def spy(raw: bytes, **kwargs: Any) -> Any:
        try:
            return original(raw, **kwargs)
        finally:
            sessions.append((threading.get_ident(), connections[DEFAULT_DB_ALIAS]))  # this thread's own

    mailserver.mail_receive = spy  # type: ignore[assignment]
    try:
        send(intake, mail("Screen flickers", "The screen flickers.", message_id="<s1@example.com>"))
    finally:
        mailserver.mail_receive = original  # type: ignore[assignment]
    (thread, handled), = sessions
    assert thread != threading.get_ident() and Complaint.objects.count() == 1
    assert handled.connection is None  # type: ignore[attr-defined]
    assert connections[DEFAULT_DB_ALIAS] is not handled


def test_a_mail_the_policy_refuses_is_kept_with_the_reasons(intake: Any, settings: Any) -> None:
    settings.COMPLAINTDESK_MAIL_CLASSIFICATION = json.dumps({**CLASSIFICATION, "category": "no_such_category"})
    send(intake, mail("Hello", "Body", message_id="<r1@example.com>"))
    record = InboundMail.objects.get()
    assert record.outcome == "refused" and record.problems[0]["field"] == "category"
    assert Complaint.objects.count() == 0
    # the mail owner is told, in their language (before, no page showed a refused mail)
    from complaintdesk.accounts.models import User
    from complaintdesk.notify.notices import notice_render

    notice = Message.objects.get(kind="mail_refused", channel="internal")
    assert notice.recipient_user.username == "agent" and notice.complaint is None
    for language, words in (("en", ("E-mail not registered", "The e-mail from emily@example.com, “Hello”, could "
                                    "not be registered as a complaint: Unknown category no_such_category; choose "
                                    "one of the policy's categories. Register it by hand.")),
                            ("zh-hans", ("邮件未能登记", "来自 emily@example.com 的邮件“Hello”未能登记为投诉："
                                         "未知类别 no_such_category；请选择政策中的类别。 请手工登记。"))):
        User.objects.filter(username="agent").update(language=language)
        Message.objects.all().delete()
        InboundMail.objects.all().delete()
        send(intake, mail("Hello", "Body", message_id="<r1@example.com>"))
        notice = Message.objects.get(kind="mail_refused", channel="internal")
        assert notice_render(notice.kind, notice.params, language) == words
        assert InboundMail.objects.get().problems[0]["message"] in words[1]


def test_complaintdesk_mail_serve_receives_in_its_own_process(org_tx: Any, child_env: dict[str, str]) -> None:
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(child_env, COMPLAINTDESK_MAIL_OWNER="agent",
               COMPLAINTDESK_MAIL_CLASSIFICATION=json.dumps(CLASSIFICATION))
    command = [sys.executable, "-m", "complaintdesk", "mail", "serve", "--listen", f"127.0.0.1:{port}"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                send(("127.0.0.1", port),
                     mail("Speaker crackles", "The speaker crackles.", message_id="<p1@example.com>"))
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.3)
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert Complaint.objects.get().reason == "Speaker crackles"


def test_without_setup_the_server_refuses_to_start(org_tx: Any, child_env: dict[str, str]) -> None:
    import subprocess
    import sys

    env = dict(child_env, COMPLAINTDESK_MAIL_OWNER="", COMPLAINTDESK_MAIL_CLASSIFICATION="")
    result = subprocess.run([sys.executable, "-m", "complaintdesk", "mail", "serve", "--listen", "127.0.0.1:1"],
                            env=env, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1 and "COMPLAINTDESK_MAIL_OWNER" in result.stderr


def test_mail_lands_in_the_unit_the_setting_names(intake: Any, settings: Any) -> None:
    """The mail owner works for two dealers side by side: without COMPLAINTDESK_MAIL_UNIT the mail
    could not know which one received it; with it, the complaint belongs to that unit."""
    from complaintdesk.integrations.mailin import MailSetupError, check_setup
    from complaintdesk.units.services import membership_set, unit_create

    unit_create(actor=None, code="dealer-a", name_zh="经销商A", name_en="Dealer A", kind="dealer")
    unit_create(actor=None, code="dealer-b", name_zh="经销商B", name_en="Dealer B", kind="dealer")
    membership_set(actor=None, username="agent", unit="dealer-a", roles=["agent"])
    membership_set(actor=None, username="agent", unit="dealer-b", roles=["agent"])
    settings.COMPLAINTDESK_MAIL_UNIT = "nowhere"
    with pytest.raises(MailSetupError, match="COMPLAINTDESK_MAIL_UNIT"):
        check_setup()
    settings.COMPLAINTDESK_MAIL_UNIT = "dealer-b"
    check_setup()
    send(intake, mail("Water heater leaks", "It leaks since the installation.", message_id="<u1@example.com>"))
    complaint = Complaint.objects.get()
    assert complaint.unit.code == "dealer-b" and complaint.owner.username == "agent"


def _gbk_word(text: str) -> bytes:
    import base64

    return b"=?gb2312?B?" + base64.b64encode(text.encode("gbk")) + b"?="


def _send_raw(server: tuple[str, int], raw: bytes, envelope_from: str) -> None:
    with smtplib.SMTP(*server, timeout=30) as client:
        client.sendmail(envelope_from, ["complaints@example.com"], raw)


def test_a_mail_labelled_gb2312_with_gbk_characters_is_read_whole(intake: Any) -> None:
    """Chinese clients label GBK text "gb2312"; 镕 and 喆 are not GB2312 and came out as U+FFFD in the
    subject, the customer's name, the description and the attachment's name."""
    import base64
    import quopri
    from urllib.parse import quote

    raw = (b"From: " + _gbk_word("王喆") + b" <wangzhe@example.com>\r\nTo: complaints@example.com\r\n"
           b"Subject: " + _gbk_word("屏幕闪烁，朱镕基路门店") + b"\r\nMessage-ID: <gb1@example.com>\r\n"
           b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"BB\"\r\n\r\n"
           b"--BB\r\nContent-Type: text/plain; charset=gb2312\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
           + quopri.encodestring("在朱镕基路门店买的手机，屏幕闪烁。王喆".encode("gbk")) + b"\r\n"
           b"--BB\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n"
           b"Content-Disposition: attachment; filename=\"" + _gbk_word("镕屏幕.png") + b"\"\r\n\r\n"
           + base64.b64encode(PNG) + b"\r\n"
           b"--BB\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n"
           b"Content-Disposition: attachment;\r\n filename*=gbk''"
           + quote("发票喆.png".encode("gbk")).encode() + b"\r\n\r\n"
           + base64.b64encode(PNG) + b"\r\n--BB--\r\n")
    _send_raw(intake, raw, "wangzhe@example.com")
    complaint = Complaint.objects.get()
    assert complaint.reason == "屏幕闪烁，朱镕基路门店" and complaint.customer.last_name == "王喆"
    assert complaint.description == "在朱镕基路门店买的手机，屏幕闪烁。王喆"
    assert sorted(a.name for a in Attachment.objects.filter(complaint=complaint)) == ["发票喆.png", "镕屏幕.png"]
    assert InboundMail.objects.get().subject == "屏幕闪烁，朱镕基路门店"


def test_headers_sent_as_raw_chinese_bytes_are_read(intake: Any) -> None:
    """Some clients write the headers in GBK or UTF-8 without encoded words (and no charset says which)."""
    for number, (encoding, sender) in enumerate((("gbk", "liuna"), ("utf-8", "chenjie")), start=1):
        raw = (f"From: 刘娜镕 <{sender}@example.com>\r\nTo: complaints@example.com\r\nSubject: 电池鼓包喆\r\n"
               f"Message-ID: <raw{number}@example.com>\r\nMIME-Version: 1.0\r\n"
               f"Content-Type: text/plain; charset={encoding}\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
               "电池鼓包，后盖顶起。\r\n").encode(encoding)
        _send_raw(intake, raw, f"{sender}@example.com")
        complaint = Complaint.objects.order_by("-pk").first()
        assert complaint is not None and Complaint.objects.count() == number
        assert (complaint.reason, complaint.customer.last_name, complaint.customer.email) == \
            ("电池鼓包喆", "刘娜镕", f"{sender}@example.com")
        assert complaint.description == "电池鼓包，后盖顶起。" and complaint.language == "zh-hans"


def test_an_html_only_mail_gives_the_text_a_reader_sees(intake: Any) -> None:
    message = EmailMessage()
    message["From"] = "Emily Carter <emily@example.com>"
    message["To"] = "complaints@example.com"
    message["Subject"] = "Refund"
    message["Message-ID"] = "<h1@example.com>"
    message.set_content("<html><head><title>Mail</title><style>p {color: red}</style></head><body>"
                        "<p>The price was &lt;100&gt; &amp; tax&nbsp;extra.</p><div>I want a refund.</div>"
                        "Thanks<br>Emily<script>track()</script></body></html>", subtype="html")
    send(intake, message)
    assert Complaint.objects.get().description == \
        "The price was <100> & tax extra.\n\nI want a refund.\nThanks\nEmily"
    unclosed = mail("Screen", "", message_id="<h2@example.com>")
    unclosed.set_content("<html><head><title>x</title><meta charset=utf-8>"  # the head is never closed
                         "<body><p>The screen is dark.</p></body></html>", subtype="html")
    send(intake, unclosed)
    assert Complaint.objects.get(reason="Screen").description == "The screen is dark."


def test_automatic_replies_known_by_their_subject_are_not_complaints_or_replies(intake: Any) -> None:
    """Vacation answers from several Chinese webmail services carry no Auto-Submitted header, only
    "自动回复：" before the subject: one became a complaint (and was acknowledged: a loop), one from the
    customer went on the complaint's timeline as their answer."""
    send(intake, mail("Battery drains", "Battery is empty by noon.", message_id="<v0@example.com>"))
    complaint = Complaint.objects.get()
    send(intake, mail("自动回复：您好，我正在休假", "我正在休假，回来后回复您。", sender="王强 <wq@example.com>",
                      message_id="<v1@example.com>"), envelope_from="wq@example.com")
    send(intake, mail(f"自动回复: 投诉 {complaint.number} 已受理", "我正在休假。", message_id="<v2@example.com>"))
    send(intake, mail("Automatic reply: Complaint received", "I am out of the office.",
                      sender="Bob Stone <bob@example.com>", message_id="<v3@example.com>"),
         envelope_from="bob@example.com")
    send(intake, mail("Out of Office: Re: your mail", "Away until Monday.", sender="Bob Stone <bob@example.com>",
                      message_id="<v4@example.com>"), envelope_from="bob@example.com")
    assert Complaint.objects.count() == 1
    assert not TimelineEntry.objects.filter(complaint=complaint, kind="customer_mail").exists()
    assert Message.objects.filter(kind="acknowledgement").count() == 1
    outcomes = dict(InboundMail.objects.values_list("key", "outcome"))
    assert outcomes == {"<v0@example.com>": "created", "<v1@example.com>": "auto_reply",
                        "<v2@example.com>": "auto_reply", "<v3@example.com>": "auto_reply",
                        "<v4@example.com>": "auto_reply"}
    # a complaint about an automatic reply is a complaint
    send(intake, mail("自动回复短信功能失效", "手机的自动回复短信功能失效了。", sender="王强 <wq@example.com>",
                      message_id="<v5@example.com>"), envelope_from="wq@example.com")
    assert InboundMail.objects.get(key="<v5@example.com>").outcome == "created"


def test_a_mail_that_fails_half_way_leaves_no_file_behind(intake: Any, settings: Any, tmp_path: Any,
                                                          monkeypatch: Any) -> None:
    """The complaint's rows roll back when the intake fails after the attachments were kept (the
    database busy when the mail's record is written: the sender is told 451 and tries again); the
    files written for them went too — before, every such try left its files on disk."""
    from django.db import OperationalError

    from complaintdesk.integrations import mailin

    uploads = tmp_path / "uploads"
    settings.MEDIA_ROOT = str(uploads)
    original = mailin._store

    def busy(record: dict[str, Any], outcome: str, **kwargs: Any) -> Any:
        if outcome == InboundMail.Outcome.CREATED:
            raise OperationalError("database is locked")
        return original(record, outcome, **kwargs)

    monkeypatch.setattr(mailin, "_store", busy)
    with pytest.raises(smtplib.SMTPDataError) as exc:
        send(intake, mail("Screen cracked", "See the photo.", message_id="<f1@example.com>",
                          files=[("crack.png", PNG, "image/png")]))
    assert exc.value.smtp_code == 451
    assert Complaint.objects.count() == 0 and Attachment.objects.count() == 0 and InboundMail.objects.count() == 0
    assert [path for path in uploads.rglob("*") if path.is_file()] == []
    monkeypatch.setattr(mailin, "_store", original)  # the sender's next try is taken whole
    send(intake, mail("Screen cracked", "See the photo.", message_id="<f1@example.com>",
                      files=[("crack.png", PNG, "image/png")]))
    assert len([path for path in uploads.rglob("*") if path.is_file()]) == 1
    assert Attachment.objects.get().complaint == Complaint.objects.get()


def test_a_reply_to_naming_the_customer_does_not_write_on_their_complaint(intake: Any) -> None:
    """The reply check took Reply-To first: anyone whose own From passes SPF/DKIM/DMARC could set
    Reply-To to the customer's address, quote the number and write on the customer's complaint."""
    send(intake, mail("Battery drains", "Battery is empty by noon.", message_id="<rt1@example.com>"))
    complaint = Complaint.objects.get()
    send(intake, mail(f"Re: Complaint {complaint.number} received", "Withdraw it, I was wrong.",
                      sender="Mallory <mallory@example.net>", message_id="<rt2@example.net>",
                      headers={"Reply-To": "emily@example.com"}), envelope_from="mallory@example.net")
    assert not TimelineEntry.objects.filter(complaint=complaint, kind="customer_mail").exists()
    assert InboundMail.objects.get(key="<rt2@example.net>").outcome == "created"
    # nor does it file its complaint on her record, rename her or send her the acknowledgement
    mallorys = Complaint.objects.exclude(pk=complaint.pk).get()
    assert mallorys.customer_id != complaint.customer_id and mallorys.customer.email == "mallory@example.net"
    complaint.customer.refresh_from_db()
    assert (complaint.customer.first_name, complaint.customer.last_name) == ("Emily", "Carter")
    sent = [message.recipient for message in Message.objects.filter(complaint=mallorys)]
    assert sent and "emily@example.com" not in sent
    # the customer's own answer, with a Reply-To of her own, is hers
    send(intake, mail(f"Re: Complaint {complaint.number} received", "It got worse.", message_id="<rt3@example.com>",
                      headers={"Reply-To": "emily.work@example.org"}))
    entry = TimelineEntry.objects.get(complaint=complaint, kind="customer_mail")
    assert entry.data["text"] == "It got worse." and entry.data["sender"] == "emily@example.com"


def test_a_form_relay_files_the_complaint_for_the_reply_to_address(intake: Any) -> None:
    """A web form or a relay sends for the customer (From: its own address, Reply-To: the customer's):
    the complaint is the customer's, as long as the Reply-To names no one else on record."""
    send(intake, mail("Order 1182 never arrived", "Paid on the 3rd, nothing since.",
                      sender="Shop form <form@shop.example>", message_id="<fr1@shop.example>",
                      headers={"Reply-To": "Li Na <lina@example.org>"}),
         envelope_from="form@shop.example")
    customer = Complaint.objects.get().customer
    assert customer.email == "lina@example.org" and customer.last_name == "Na"


def test_a_mail_with_only_a_subject_or_only_photos_is_a_complaint(intake: Any) -> None:
    """An empty body left the description empty and the registration refused the mail: the customer
    heard nothing and no one saw the complaint (a refused mail is only a row)."""
    send(intake, mail("手机屏幕碎了，请回电", "", sender="王强 <wq@example.com>", message_id="<e1@example.com>"),
         envelope_from="wq@example.com")
    complaint = Complaint.objects.get()
    assert complaint.reason == complaint.description == "手机屏幕碎了，请回电"
    photos = mail("", "", message_id="<e2@example.com>", files=[("crack.png", PNG, "image/png")])
    send(intake, photos)
    second = Complaint.objects.exclude(pk=complaint.pk).get()
    assert second.reason == second.description == "The e-mail has no text; see its attachments."
    assert Attachment.objects.get().complaint == second
    assert Message.objects.filter(kind="acknowledgement").count() == 2
    send(intake, mail("", "", sender="Bob Stone <bob@example.com>", message_id="<e3@example.com>"),
         envelope_from="bob@example.com")  # nothing at all: nothing to register
    assert InboundMail.objects.get(key="<e3@example.com>").outcome == "refused"


def test_a_mail_read_from_a_mailbox_with_the_empty_return_path_is_a_bounce(intake: Any) -> None:
    """IMAP and `mail receive` have no SMTP envelope: the empty sender is in the Return-Path the
    delivering server wrote (a delay notice from a relay, neither a report nor from MAILER-DAEMON)."""
    from complaintdesk.integrations.mailin import mail_receive

    notice = mail("Delivery delayed", "Your message has not been delivered yet; we keep trying.",
                  sender="Mail relay <relay@mx.example.com>", message_id="<d1@mx.example.com>",
                  headers={"Return-Path": "<>"})
    assert mail_receive(notice.as_bytes()).outcome == "bounce"
    ordinary = mail("Screen flickers", "The screen flickers.", message_id="<d2@example.com>",
                    headers={"Return-Path": "<emily@example.com>"})
    assert mail_receive(ordinary.as_bytes()).outcome == "created"
    assert Complaint.objects.count() == 1


def test_a_long_mail_is_kept_whole_in_an_attachment(intake: Any, client: Any) -> None:
    """The description held the first 8,000 characters and the reason the first 500: the rest of the
    mail was lost, since the raw mail is not kept. Now the whole text is a .txt attachment, stored and
    served like the mail's files, and the description ends with a note saying so."""
    from complaintdesk.accounts.models import User
    from complaintdesk.integrations.mailin import mail_receive

    body = "\n".join(f"Line {n}: the phone restarts again and again." for n in range(400)) + "\nTHE END"
    subject = "Restarts " + "again " * 100  # longer than a reason holds
    assert mail_receive(mail(subject, body, message_id="<long1@example.com>").as_bytes()).outcome == "created"
    complaint = Complaint.objects.get()
    assert len(complaint.description) <= 8000 and len(complaint.reason) <= 500
    assert complaint.description.startswith("Line 0: the phone restarts")
    assert complaint.description.endswith(
        "The e-mail is longer than the complaint holds; its full text is attached as e-mail-full-text.txt.")
    attachment = Attachment.objects.get(complaint=complaint)
    assert attachment.name == "e-mail-full-text.txt" and attachment.content_type.startswith("text/plain")
    assert attachment.file.read().decode() == subject.strip() + "\n\n" + body
    client.force_login(User.objects.get(username="agent"))
    answer = client.get(f"/complaints/attachments/{attachment.pk}/")
    assert answer.status_code == 200 and b"".join(answer.streaming_content).decode().endswith("THE END")

    chinese = "手机总是自动重启。" * 1000
    mail_receive(mail("手机重启", chinese, sender="王强 <wq@example.com>", message_id="<long2@example.com>").as_bytes())
    second = Complaint.objects.exclude(pk=complaint.pk).get()
    assert second.description.endswith("邮件超出投诉可容纳的长度；全文见附件 邮件全文.txt。")
    full = Attachment.objects.get(complaint=second)
    assert full.name == "邮件全文.txt" and full.file.read().decode() == "手机重启\n\n" + chinese


def test_a_short_mail_gets_no_full_text_attachment(intake: Any) -> None:
    from complaintdesk.integrations.mailin import mail_receive

    body = "x" * 8000  # exactly what the description holds
    mail_receive(mail("Screen", body, message_id="<fit@example.com>").as_bytes())
    assert Complaint.objects.get().description == body
    assert not Attachment.objects.exists()


def test_a_long_reply_is_kept_whole_in_an_attachment(intake: Any) -> None:
    from complaintdesk.complaints.display import timeline_text
    from complaintdesk.core.policies import policy_of
    from complaintdesk.integrations.mailin import mail_receive

    mail_receive(mail("Battery drains", "Battery is empty by noon.", message_id="<r1@example.com>").as_bytes())
    complaint = Complaint.objects.get()
    reply = "More details. " * 1000 + "THE END"
    assert mail_receive(mail(f"Re: {complaint.number}", reply, message_id="<r2@example.com>").as_bytes()).outcome \
        == "reply"
    entry = TimelineEntry.objects.get(complaint=complaint, kind="customer_mail")
    assert len(entry.data["text"]) <= 8000 and entry.data["text"].startswith("More details.")
    attachment = Attachment.objects.get(pk=entry.data["full_text_attachment"])
    assert attachment.complaint == complaint and attachment.file.read().decode() == reply
    policy = policy_of(complaint.policy_version)
    from django.utils import translation

    with translation.override("en"):
        assert "its full text is attached as e-mail-full-text.txt." in timeline_text(entry, policy)
    with translation.override("zh-hans"):
        text = timeline_text(entry, policy)
    assert "邮件超出时间线可显示的长度；全文见附件 e-mail-full-text.txt。" in text


@pytest.mark.django_db
def test_the_server_refuses_to_listen_for_a_door_category_or_reason_the_policy_lacks(org: Any, settings: Any) -> None:
    """Checked before the server listens, naming the setting and what the policy offers: otherwise
    every mail would be refused one by one (the hypermarket lists no e-mail door)."""
    from complaintdesk.integrations.mailin import MailSetupError, check_setup

    settings.COMPLAINTDESK_MAIL_OWNER = "agent"
    settings.COMPLAINTDESK_MAIL_CLASSIFICATION = json.dumps(CLASSIFICATION)
    check_setup()  # the phone maker's policy has all three
    settings.COMPLAINTDESK_MAIL_CHANNEL = "fax"
    with pytest.raises(MailSetupError, match=r"COMPLAINTDESK_MAIL_CHANNEL: .*no channel 'fax'; its channels: .*email"):
        check_setup()
    settings.COMPLAINTDESK_MAIL_CHANNEL = "email"
    settings.COMPLAINTDESK_MAIL_CLASSIFICATION = json.dumps({**CLASSIFICATION, "category": "cars"})
    with pytest.raises(MailSetupError, match=r"no category 'cars'; its categories: .*product"):
        check_setup()
    settings.COMPLAINTDESK_MAIL_CLASSIFICATION = json.dumps({**CLASSIFICATION, "reason_codes": ["software"]})
    with pytest.raises(MailSetupError, match="is not a path of the policy"):
        check_setup()
    settings.COMPLAINTDESK_MAIL_CLASSIFICATION = json.dumps(CLASSIFICATION)
    install_org("hypermarket")
    with pytest.raises(MailSetupError, match=r"the policy hypermarket has no channel 'email'"):
        check_setup()
