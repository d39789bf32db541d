"""Background delivery of messages (django-tasks, database backend)."""

from __future__ import annotations

from django_tasks import task

from complaintdesk.notify.services import message_deliver


@task()
def deliver_message(message_id: int) -> str:
    return message_deliver(message_id=message_id)
