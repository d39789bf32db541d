"""notify/preferences.py and the one sender honouring it: per group of notice kinds a user reads
notices on the page (the default), also gets an e-mail copy (delivered by the worker after commit
through the e-mail transport), or none; missed deadlines and approvals asked of the user cannot be
switched off; bad choices are refused naming the field, nothing saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.utils import translation

from complaintdesk.core.errors import ValidationFailed
from complaintdesk.core.models import AuditEvent
from complaintdesk.notify.models import Message, NoticePreference
from complaintdesk.notify.notices import NOTICES, notice_send
from complaintdesk.notify.preferences import GROUPS, OTHER, group_of, notice_preferences_save, preferences_of
from complaintdesk.notify.services import message_deliver

pytestmark = pytest.mark.django_db


def _mine(user: Any, channel: str) -> Any:
    return Message.objects.filter(recipient_user=user, channel=channel)


def _with_email(user: Any, email: str = "staff@example.com") -> Any:
    user.email = email
    user.save(update_fields=["email"])
    return user


def test_every_registered_kind_belongs_to_a_group(org: Any) -> None:
    assert NOTICES, "the apps register their notice kinds when Django starts"
    assert [kind for kind in NOTICES if group_of(kind) is OTHER] == []
    assert group_of("calendar_provisional_2031").code == "system"
    kinds = [kind for group in GROUPS for kind in group.kinds]
    assert len(kinds) == len(set(kinds)), "a kind is in one group only"
    assert {g.code for g in GROUPS if g.critical} == {"breaches", "approvals"}


def test_by_default_every_group_is_on_the_notices_page(org: Any) -> None:
    rows = preferences_of(org["specialist"])
    assert [row.code for row in rows] == [*(g.code for g in GROUPS), "other"]
    assert {row.choice for row in rows} == {"page"}


def test_saving_choices_stores_only_what_differs_from_the_default_and_audits_once(org: Any) -> None:
    user = _with_email(org["specialist"])
    notice_preferences_save(actor=user, choices={"warnings": "off", "work_orders": "email", "plans": "page"})
    stored = dict(NoticePreference.objects.filter(user=user).values_list("group", "choice"))
    assert stored == {"warnings": "off", "work_orders": "email"}
    event = AuditEvent.objects.get(action="user.notice_preferences")
    assert event.after == stored and event.before == {}
    notice_preferences_save(actor=user, choices={"warnings": "page"})
    assert dict(NoticePreference.objects.filter(user=user).values_list("group", "choice")) == {"work_orders": "email"}
    notice_preferences_save(actor=user, choices={"work_orders": "email"})  # no change, no audit event
    assert AuditEvent.objects.filter(action="user.notice_preferences").count() == 2


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_critical_groups_cannot_be_switched_off_and_nothing_is_saved(org: Any, language: str) -> None:
    user = _with_email(org["supervisor"])
    with translation.override(language), pytest.raises(ValidationFailed) as refused:
        notice_preferences_save(actor=user, choices={"warnings": "off", "breaches": "off", "approvals": "off",
                                                     "nonsense": "page", "plans": "sms"})
    fields = {problem.field for problem in refused.value.problems}
    assert fields == {"notices.breaches", "notices.approvals", "notices.nonsense", "notices.plans"}
    message = next(str(p.message) for p in refused.value.problems if p.field == "notices.breaches")
    with translation.override(language):  # named in the reader's language, through its catalogue
        assert message == translation.gettext("“%(group)s” cannot be switched off.") % {
            "group": translation.gettext("Deadlines missed")}
    assert not NoticePreference.objects.filter(user=user).exists()


def test_email_needs_an_address(org: Any) -> None:
    user = _with_email(org["agent"], "")
    with pytest.raises(ValidationFailed) as refused:
        notice_preferences_save(actor=user, choices={"complaints": "email"})
    assert [p.field for p in refused.value.problems] == ["notices.complaints"]


def test_the_sender_honours_off_page_and_email(org: Any, registration: Any) -> None:
    from complaintdesk.complaints.schemas import ComplaintIn
    from complaintdesk.complaints.services import complaint_register

    complaint = complaint_register(actor=org["agent"], data=ComplaintIn(**registration()))
    quiet, paged, mailed = org["specialist"], org["supervisor"], _with_email(org["qc_manager"], "qc@example.com")
    NoticePreference.objects.create(user=quiet, group="complaints", choice="off")
    NoticePreference.objects.create(user=mailed, group="complaints", choice="email")
    mailed.language = "zh-hans"
    mailed.save(update_fields=["language"])
    for user in (quiet, paged, mailed):
        Message.objects.filter(recipient_user=user).delete()
    with transaction.atomic():
        told = notice_send(users=[quiet, paged, mailed, paged], complaint=complaint, kind="handover")
    assert told == 2
    assert not _mine(quiet, "internal").exists()
    assert _mine(paged, "internal").count() == 1 and not _mine(paged, "email").exists()
    assert _mine(mailed, "internal").count() == 1
    copy = _mine(mailed, "email").get()
    assert copy.recipient == "qc@example.com" and copy.complaint is None and copy.kind == "handover"
    assert complaint.number in copy.body and copy.language == "zh-hans"
    assert copy.status == "queued"  # the worker delivers it after the commit


@pytest.mark.parametrize("batch", [False, True], ids=["notice_send", "notices_send"])
def test_a_notice_is_stored_as_sent_and_only_its_email_copy_gets_a_task(org: Any, registration: Any,
                                                                         batch: bool) -> None:
    """A staff notice is the row itself: nothing to deliver, no task for the worker; the e-mail copy
    is a message like any other, delivered by the worker."""
    from django_tasks_db.models import DBTaskResult

    from complaintdesk.complaints.schemas import ComplaintIn
    from complaintdesk.complaints.services import complaint_register
    from complaintdesk.notify.notices import NoticeOut, notices_send

    complaint = complaint_register(actor=org["agent"], data=ComplaintIn(**registration()))
    paged, mailed = org["specialist"], _with_email(org["qc_manager"], "qc@example.com")
    NoticePreference.objects.create(user=mailed, group="complaints", choice="email")
    Message.objects.all().delete()
    DBTaskResult.objects.all().delete()
    with transaction.atomic():
        if batch:
            notices_send([NoticeOut(users=(paged, mailed), kind="handover", complaint=complaint)])
        else:
            notice_send(users=[paged, mailed], complaint=complaint, kind="handover")
    notices = Message.objects.filter(channel="internal").order_by("pk")
    assert [(m.recipient_user, m.status, m.attempts, m.transport) for m in notices] == [
        (paged, "sent", 1, "internal"), (mailed, "sent", 1, "internal")]
    assert all(m.sent_at == m.created_at for m in notices)
    copy = Message.objects.get(channel="email")
    tasks = [r.args_kwargs["args"] for r in DBTaskResult.objects.all()]
    assert tasks == [[copy.pk]]
    assert message_deliver(message_id=notices[0].pk) == "sent"  # a stray run changes nothing
    assert Message.objects.get(pk=notices[0].pk).attempts == 1


def test_a_critical_kind_reaches_a_user_whatever_is_stored(org: Any) -> None:
    user = org["supervisor"]
    NoticePreference.objects.create(user=user, group="breaches", choice="off")  # written around the service
    Message.objects.filter(recipient_user=user).delete()
    with transaction.atomic():
        assert notice_send(users=[user], kind="clock_breach", clock="Reply", due="today") == 1
    assert _mine(user, "internal").count() == 1


def test_the_email_copy_goes_out_through_the_email_transport(org: Any, settings: Any, mailoutbox: Any) -> None:
    settings.COMPLAINTDESK_TRANSPORTS = {**settings.COMPLAINTDESK_TRANSPORTS, "email": "smtp"}
    user = _with_email(org["supervisor"], "lead@example.com")
    NoticePreference.objects.create(user=user, group="system", choice="email")
    with transaction.atomic():
        notice_send(users=[user], kind="calendar_provisional_2031", year=2031)
    copy = _mine(user, "email").get()
    assert message_deliver(message_id=copy.pk) == "sent"
    assert [mail.to for mail in mailoutbox] == [["lead@example.com"]]
