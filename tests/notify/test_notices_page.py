"""The notices page: pages of 25, runs of one kind about one complaint folded into one line with a
count, the unread filter, and "mark all read" with a confirmation, in both languages."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.complaints.services import complaint_register
from complaintdesk.notify.models import Message
from complaintdesk.notify.notices import notice_send
from complaintdesk.notify.selectors import notice_page

pytestmark = pytest.mark.django_db


def _complaints(org: Any, registration: Any, n: int) -> list[Complaint]:
    return [complaint_register(actor=org["agent"], data=ComplaintIn(**registration()).to_input()) for _ in range(n)]


def _send(user: Any, complaint: Complaint, kind: str = "handover", times: int = 1) -> None:
    with transaction.atomic():
        for _ in range(times):
            notice_send(users=[user], complaint=complaint, kind=kind)


def _mine(user: Any) -> Any:
    return Message.objects.filter(recipient_user=user, channel=Message.Channel.INTERNAL)


def test_runs_of_one_kind_about_one_complaint_fold_into_one_line(org: Any, registration: Any) -> None:
    first, second = _complaints(org, registration, 2)
    user = org["specialist"]
    _mine(user).delete()
    _send(user, first, times=3)
    _send(user, second)
    _send(user, first)
    page = notice_page(user)
    assert [(row.notice.complaint, row.count) for row in page.rows] == [
        (first.number, 1), (second.number, 1), (first.number, 3)]
    assert page.total == 5 and page.unread == 5 and page.pages == 1


def test_the_page_shows_25_at_a_time_and_marks_what_it_shows_read(org: Any, registration: Any, client: Any) -> None:
    complaints = _complaints(org, registration, 30)
    user = org["specialist"]
    _mine(user).delete()
    for complaint in complaints:
        _send(user, complaint)
    client.force_login(user)
    html = client.get("/notices/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Page 1 of 2 · 30 notices" in html and 'data-testid="notices-older"' in html
    assert complaints[-1].number in html and complaints[0].number not in html  # newest first
    assert _mine(user).filter(read_at__isnull=True).count() == 5
    older = client.get("/notices/?show=all&page=2", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "第 2 页，共 2 页 · 30 条通知" in older and complaints[0].number in older
    assert client.get("/notices/?page=999999999999").status_code == 200  # clamped, never an error


def test_unread_filter_and_mark_all_read(org: Any, registration: Any, client: Any) -> None:
    complaint, other = _complaints(org, registration, 2)
    user = org["specialist"]
    _mine(user).delete()
    _send(user, complaint)
    _mine(user).update(read_at="2026-01-01T00:00:00Z")
    _send(user, other, times=2)
    client.force_login(user)
    html = client.get("/notices/?show=unread", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert other.number in html and complaint.number not in html and "Unread (2)" in html
    _send(user, complaint)
    response = client.post("/notices/read-all/", HTTP_ACCEPT_LANGUAGE="zh-hans", follow=True)
    assert response.status_code == 200
    assert "已将 1 条通知标为已读。" in response.content.decode()
    assert not _mine(user).filter(read_at__isnull=True).exists()
    assert client.get("/notices/read-all/").status_code == 405


def test_notices_filter_by_kind_with_kinds_named_in_the_page_language(org: Any, registration: Any,
                                                                      client: Any) -> None:
    (complaint,) = _complaints(org, registration, 1)
    user = org["specialist"]
    _mine(user).delete()
    _send(user, complaint, kind="handover", times=2)
    with transaction.atomic():
        notice_send(users=[user], complaint=complaint, kind="clock_breach", clock="Reply", due="2026-12-01 18:00")
    client.force_login(user)
    english = client.get("/notices/?show=all&kind=clock_breach", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<option value="clock_breach" selected>Deadline missed</option>' in english
    assert english.count('data-kind="clock_breach"') == 1 and 'data-kind="handover"' not in english
    chinese = client.get("/notices/?kind=clock_breach", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '<option value="clock_breach" selected>时限已超</option>' in chinese
    everything = client.get("/notices/?kind=no_such_kind", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-kind="clock_breach"' in everything and 'data-kind="handover"' in everything
