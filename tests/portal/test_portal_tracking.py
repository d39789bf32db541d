"""Following a complaint with a one-time code: wrong and expired codes, limited attempts, rate limits,
only one's own complaint, messages addressed to the customer (never internal notes), adding
information and files, answering the proposed solution."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from portalkit import form, last_code, png

from complaintdesk.complaints.models import Complaint, TimelineEntry
from complaintdesk.notify.models import Message
from complaintdesk.portal.models import AccessCode, CustomerFile


@pytest.fixture
def filed(org: Any) -> Complaint:
    response = Client().post("/portal/new/", form(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    return Complaint.objects.get()


def ask_code(client: Client, number: str, contact: str = "138 1234 5678") -> Any:
    return client.post("/portal/track/", {"number": number, "contact": contact}, HTTP_ACCEPT_LANGUAGE="en")


def open_with_code(client: Client, complaint: Complaint) -> None:
    assert ask_code(client, complaint.number)["Location"] == "/portal/track/code/"
    response = client.post("/portal/track/code/", {"code": last_code()}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302 and response["Location"] == f"/portal/c/{complaint.number}/"


def test_the_right_code_opens_the_complaint_and_shows_only_customer_messages(filed: Complaint) -> None:
    client = Client()
    locked = client.get(f"/portal/c/{filed.number}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert locked.status_code == 404 and "请先输入验证码" in locked.content.decode()
    assert client.get(f"/portal/received/{filed.number}/").status_code == 404
    open_with_code(client, filed)
    code_message = Message.objects.get(kind="portal_code")
    assert code_message.channel == "sms" and code_message.recipient == "+8613812345678"
    assert code_message.complaint is None  # the code never appears on the complaint's timeline
    Message.objects.create(kind="handover", channel="internal", recipient="agent", body="INTERNAL NOTE 42",
                           complaint=filed, created_at=timezone.now())
    page = client.get(f"/portal/c/{filed.number}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "In progress" in page or "Registered" in page
    assert Message.objects.get(kind="acknowledgement").body in page
    assert "INTERNAL NOTE 42" not in page and code_message.body not in page
    # the code is used up
    response = client.post("/portal/track/code/", {"code": last_code()}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code in {302, 422}


def test_a_wrong_code_counts_and_the_attempts_run_out(filed: Complaint, settings: Any) -> None:
    settings.COMPLAINTDESK_PORTAL = {**settings.COMPLAINTDESK_PORTAL, "code_attempts": 3}
    client = Client()
    ask_code(client, filed.number)
    right = last_code()
    wrong = "000000" if right != "000000" else "111111"
    first = client.post("/portal/track/code/", {"code": wrong}, HTTP_ACCEPT_LANGUAGE="en")
    assert first.status_code == 422 and "2 attempt(s) left" in first.content.decode()
    client.post("/portal/track/code/", {"code": wrong}, HTTP_ACCEPT_LANGUAGE="en")
    third = client.post("/portal/track/code/", {"code": wrong}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Too many wrong codes" in third.content.decode()
    late = client.post("/portal/track/code/", {"code": right}, HTTP_ACCEPT_LANGUAGE="en")
    assert late.status_code == 422 and "Too many wrong codes" in late.content.decode()
    assert client.get(f"/portal/c/{filed.number}/").status_code == 404


def test_an_expired_code_is_refused(filed: Complaint) -> None:
    client = Client()
    ask_code(client, filed.number)
    AccessCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post("/portal/track/code/", {"code": last_code()}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422 and "The code has expired" in response.content.decode()
    zh = client.post("/portal/track/code/", {"code": last_code()}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "验证码已过期" in zh.content.decode()


def test_a_wrong_phone_sends_nothing_and_says_the_same(filed: Complaint) -> None:
    client = Client()
    response = ask_code(client, filed.number, contact="13900001111")
    assert response.status_code == 302 and not Message.objects.filter(kind="portal_code").exists()
    page = client.get("/portal/track/code/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "If " in page and filed.number in page
    assert client.post("/portal/track/code/", {"code": "123456"}, HTTP_ACCEPT_LANGUAGE="en").status_code == 422


def test_a_customer_sees_only_their_own_complaint(filed: Complaint) -> None:
    other = Client().post("/portal/new/", form(**{"customer.phone": "13900001111"}), HTTP_ACCEPT_LANGUAGE="en")
    other_number = other["Location"].rstrip("/").rsplit("/", 1)[1]
    client = Client()
    open_with_code(client, filed)
    assert client.get(f"/portal/c/{other_number}/").status_code == 404
    assert client.get(f"/portal/c/{other_number}/letters/acknowledgement.pdf").status_code == 404


def test_code_requests_are_limited_per_phone(filed: Complaint, settings: Any) -> None:
    settings.COMPLAINTDESK_PORTAL = {**settings.COMPLAINTDESK_PORTAL, "limit_per_phone": 2}
    assert ask_code(Client(), filed.number).status_code == 302
    assert ask_code(Client(), filed.number, contact="13812345678").status_code == 302
    third = ask_code(Client(), filed.number, contact="+86 138-1234-5678")  # the same phone, written otherwise
    assert third.status_code == 429
    assert Message.objects.filter(kind="portal_code").count() == 2


def test_code_requests_are_limited_across_web_workers(filed: Complaint, settings: Any) -> None:
    """`complaintdesk serve` runs several web workers, each with its own per-process cache: the counts
    are kept in the database, so a request served by another worker (here: the cache emptied between
    requests) still counts."""
    from django.core.cache import cache

    settings.COMPLAINTDESK_PORTAL = {**settings.COMPLAINTDESK_PORTAL, "limit_per_phone": 2}
    for _ in range(2):
        cache.clear()
        assert ask_code(Client(), filed.number).status_code == 302
    cache.clear()
    assert ask_code(Client(), filed.number).status_code == 429
    assert Message.objects.filter(kind="portal_code").count() == 2


def test_the_counts_start_again_in_the_next_hour_and_old_ones_are_removed(org: Any, settings: Any) -> None:
    from complaintdesk.portal import ratelimit
    from complaintdesk.portal.models import RateCount

    settings.COMPLAINTDESK_PORTAL = {**settings.COMPLAINTDESK_PORTAL, "limit_per_phone": 1}
    start = timezone.now().replace(minute=59, second=0, microsecond=0)
    assert ratelimit.allow("phone", "+8613812345678", now=start)
    assert not ratelimit.allow("phone", "+8613812345678", now=start)
    assert ratelimit.allow("phone", "+8613912345678", now=start)  # another phone counts apart
    later = start + timedelta(minutes=2)  # the next window
    assert ratelimit.allow("phone", "+8613812345678", now=later)
    assert RateCount.objects.count() == 1 and RateCount.objects.get().expires_at > later
    assert "13812345678" not in RateCount.objects.get().key  # a hash, never the phone


def test_the_customer_adds_information_and_a_file(filed: Complaint) -> None:
    client = Client()
    open_with_code(client, filed)
    response = client.post(f"/portal/c/{filed.number}/add/", {"text": "It also restarts at night.",
                                                               "files": [png("night.png")]})
    assert response.status_code == 302
    entry = TimelineEntry.objects.get(complaint=filed, kind="customer_information")
    assert entry.data == {"text": "It also restarts at night.", "names": ["night.png"]}
    stored = CustomerFile.objects.get(complaint=filed)
    download = client.get(f"/portal/c/{filed.number}/files/{stored.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"\x89PNG")
    notice = Message.objects.get(kind="portal_information")
    assert notice.recipient_user == filed.owner and notice.channel == "internal"
    empty = client.post(f"/portal/c/{filed.number}/add/", {"text": "  "}, HTTP_ACCEPT_LANGUAGE="en")
    assert empty.status_code == 422 and "Write something or attach a file." in empty.content.decode()
    # staff see the file through the complaint's access rules; an outsider does not
    assert Client().get(f"/complaints/{filed.number}/files/{stored.pk}/").status_code == 302


def test_the_customer_refuses_then_accepts_a_proposed_solution(filed: Complaint, org: Any) -> None:
    from complaintdesk.resolutions.models import Plan

    owner = filed.owner
    plan = Plan.objects.create(complaint=filed, sequence=1, what="Replace the phone", who="SC", when="within 3 days",
                               where="Shanghai SC", why="fault confirmed", how="swap", currency="CNY", total=0,
                               budget_total=0, state=Plan.State.AUTHORISED, author=owner, created_at=timezone.now())
    client = Client()
    open_with_code(client, filed)
    page = client.get(f"/portal/c/{filed.number}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Replace the phone" in page
    no_words = client.post(f"/portal/c/{filed.number}/decide/", {"plan": plan.pk, "decision": "refused"},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert no_words.status_code == 422 and "Tell us why you refuse this solution." in no_words.content.decode()
    assert "Record the customer" not in no_words.content.decode()  # the service's wording for staff
    plan.refresh_from_db()
    assert plan.customer_decision == ""
    accepted = client.post(f"/portal/c/{filed.number}/decide/", {"plan": plan.pk, "decision": "accepted"})
    assert accepted.status_code == 302
    plan.refresh_from_db()
    assert plan.customer_decision == "accepted" and plan.customer_channel == "portal"
    assert TimelineEntry.objects.filter(complaint=filed, kind="customer_decision").exists()


def test_codes_and_owner_notices_are_written_in_the_readers_language(org: Any) -> None:
    """The customer who filed in Chinese gets the code by SMS and e-mail in Chinese; the owner who reads
    Chinese gets the portal's notices in Chinese (the strings are in the catalogues)."""
    owner = org["agent"]
    owner.language = "zh-hans"
    owner.save(update_fields=["language"])
    filed = Client().post("/portal/new/", form(**{"customer.email": "wang@example.com"}),
                          HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert filed.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.language == "zh-hans" and complaint.owner == owner
    client = Client()
    assert ask_code(client, complaint.number).status_code == 302
    sms = Message.objects.get(kind="portal_code", channel="sms")
    assert sms.body.startswith(f"您查询投诉 {complaint.number} 的验证码是 ") and "10 分钟内有效" in sms.body
    assert ask_code(Client(), complaint.number, contact="WANG@example.com").status_code == 302
    mail = Message.objects.get(kind="portal_code", channel="email")
    assert mail.subject == f"投诉 {complaint.number} 的验证码" and "验证码是" in mail.body
    response = client.post("/portal/track/code/", {"code": last_code()})
    assert response.status_code == 302
    assert client.post(f"/portal/c/{complaint.number}/add/", {"text": "还有一张发票。"}).status_code == 302
    notice = Message.objects.get(kind="portal_information")
    assert notice.subject == "客户补充了信息"
    assert notice.body == f"客户在网上为投诉 {complaint.number} 补充了信息或文件。"


def test_message_times_are_written_like_the_rest_of_the_page_in_each_language(filed: Complaint) -> None:
    """On the Chinese page a message's time reads 2026年12月3日 15:54 like the received time, never
    2026-12-03 15:54; on the English page 2026-12-03 15:54; both in the policy's time zone."""
    from datetime import UTC, datetime

    sent = datetime(2026, 12, 3, 7, 54, tzinfo=UTC)  # 15:54 in Shanghai
    Message.objects.filter(complaint=filed, kind="acknowledgement").update(created_at=sent)
    TimelineEntry.objects.create(complaint=filed, kind="customer_information", at=sent + timedelta(minutes=5),
                                 data={"text": "One more thing.", "names": []})
    client = Client()
    open_with_code(client, filed)
    zh = client.get(f"/portal/c/{filed.number}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-testid="c-entry-at">2026年12月3日 15:54<' in zh
    assert 'data-testid="c-entry-at">2026年12月3日 15:59<' in zh
    assert 'data-testid="c-entry-at">2026-' not in zh
    en = client.get(f"/portal/c/{filed.number}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="c-entry-at">2026-12-03 15:54<' in en and 'data-testid="c-entry-at">2026年' not in en


def test_a_resolved_or_closed_complaint_shows_what_happened_not_the_old_promise(filed: Complaint) -> None:
    """Once resolved the pages no longer say "We reply by" a time in the past: they say when it was
    resolved, and once closed when it was closed."""
    from datetime import UTC, datetime

    client = Client()
    open_with_code(client, filed)
    waiting = client.get(f"/portal/c/{filed.number}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "We reply by" in waiting and 'data-testid="c-resolved-at"' not in waiting
    resolved = datetime(2026, 12, 3, 7, 54, tzinfo=UTC)  # 15:54 in Shanghai
    Complaint.objects.filter(pk=filed.pk).update(status="resolved", resolved_at=resolved,
                                                 outcome_note="We replaced the phone.")
    for url, prefix in ((f"/portal/c/{filed.number}/", "c"), (f"/portal/received/{filed.number}/", "received")):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "We reply by" not in page and f'data-testid="{prefix}-reply-by"' not in page
        assert f'data-testid="{prefix}-resolved-at">2026-12-03 15:54<' in page
        zh = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert ">答复时间</dt>" not in zh
        assert f'data-testid="{prefix}-resolved-at">2026年12月3日 15:54<' in zh
    Complaint.objects.filter(pk=filed.pk).update(status="closed", closed_at=resolved + timedelta(days=2))
    for url, prefix in ((f"/portal/c/{filed.number}/", "c"), (f"/portal/received/{filed.number}/", "received")):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "We reply by" not in page
        assert f'data-testid="{prefix}-resolved-at">2026-12-03 15:54<' in page
        assert f'data-testid="{prefix}-closed-at">2026-12-05 15:54<' in page


def test_a_provisional_promise_carries_a_note_about_the_unpublished_holiday_schedule(filed: Complaint) -> None:
    """Received on 30 December 2026 with working days to count into 2027, whose official holidays
    chinesecalendar does not know: the clocks mark the promise provisional (tests/clocks), and the
    acknowledgement and complaint pages say that the time may move, in the reader's language."""
    from datetime import UTC, datetime

    client = Client()
    open_with_code(client, filed)
    official = client.get(f"/portal/c/{filed.number}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "reply-by-note" not in official and "has not been published" not in official
    Complaint.objects.filter(pk=filed.pk).update(received_at=datetime(2026, 12, 30, 2, 0, tzinfo=UTC),
                                                 reply_due_at=datetime(2027, 1, 5, 10, 0, tzinfo=UTC),
                                                 reply_due_provisional=True)
    for url, testid in ((f"/portal/c/{filed.number}/", "c-reply-by-note"),
                        (f"/portal/received/{filed.number}/", "reply-by-note")):
        en = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert (f'data-testid="{testid}">The official holiday schedule for 2027 has not been published yet; '
                "this time may move when it is.<") in en
        zh = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert f'data-testid="{testid}">2027年的国家法定节假日安排尚未公布，该时间可能随之调整。<' in zh
    # once replied, no promise and no note
    Complaint.objects.filter(pk=filed.pk).update(status="resolved", resolved_at=timezone.now())
    assert "reply-by-note" not in client.get(f"/portal/c/{filed.number}/").content.decode()
