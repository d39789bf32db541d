"""Background delivery of scheduled reports (django-tasks, database backend)."""

from __future__ import annotations

from django_tasks import task

from complaintdesk.reports.services import report_delivery_send
from complaintdesk.reports.services.exports import export_job_run


@task()
def deliver_report(delivery_id: int) -> str:
    return report_delivery_send(delivery_id=delivery_id)


@task(queue_name="bulk")  # long work: complaintdesk/worker.py
def write_export(job_id: int) -> str:
    return export_job_run(job_id=job_id)
