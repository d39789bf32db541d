"""Two complaints that both pass the threshold at the same moment open one alert group, not two: the
second waits for the first's transaction (row locks, the partial unique index on open groups) and
joins its group. On PostgreSQL, with one database connection per thread."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from complaintdesk.accounts.models import User
from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.complaints.services.intake import complaint_register
from complaintdesk.notify.models import Message
from complaintdesk.quality.models import AlertGroup
from orgkit import install_org, valid_registration

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent registrations are serialised by PostgreSQL locks; SQLite runs one writer at a "
                    "time. Run with DATABASE_URL=postgres://…")


def register(at: Any) -> Any:
    return complaint_register(actor=User.objects.get(username="agent"),
                              data=ComplaintIn(**valid_registration()).to_input(),
                              now=at)


def test_two_complaints_passing_the_threshold_together_open_one_group(transactional_db: Any) -> None:
    install_org("phone_maker")
    now = timezone.now()
    for hours in range(4):
        register(now - timedelta(hours=10 - hours))
    holding, release = threading.Event(), threading.Event()
    results: dict[str, Any] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                results["first"] = register(now - timedelta(minutes=2))
                holding.set()
                release.wait(timeout=60)
        except Exception as exc:
            results["first"] = exc
        finally:
            connections.close_all()

    def second() -> None:
        try:
            results["second"] = register(now - timedelta(minutes=1))
        except Exception as exc:
            results["second"] = exc
        finally:
            connections.close_all()

    a = threading.Thread(target=first)
    a.start()
    assert holding.wait(timeout=60)
    b = threading.Thread(target=second)
    b.start()
    time.sleep(1)  # the second registration is now waiting for the first transaction
    assert b.is_alive()
    release.set()
    a.join(timeout=60)
    b.join(timeout=60)
    assert not isinstance(results["first"], Exception), results["first"]
    assert not isinstance(results["second"], Exception), results["second"]
    group = AlertGroup.objects.get()
    assert group.complaints.count() == 6
    assert Message.objects.filter(kind="batch_alert").count() == 1
