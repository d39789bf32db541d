"""Background work of the integrations (django-tasks, database backend)."""

from __future__ import annotations

from django_tasks import task

from complaintdesk.integrations.import_jobs import import_job_run
from complaintdesk.integrations.webhooks import webhook_deliver


@task()
def deliver_webhook(delivery_id: int) -> str:
    return webhook_deliver(delivery_id=delivery_id)


@task(queue_name="bulk")  # long work: complaintdesk/worker.py
def import_register(job_id: int) -> str:
    return import_job_run(job_id=job_id)
