"""Background delivery of scheduled reports (django-tasks, database backend)."""

from __future__ import annotations

from django_tasks import task

from complaintdesk.reports.services import report_delivery_send


@task()
def deliver_report(delivery_id: int) -> str:
    return report_delivery_send(delivery_id=delivery_id)
