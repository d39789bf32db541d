"""The large exports a user asked for (only their own)."""

from __future__ import annotations

from typing import Any

from complaintdesk.reports.models import ExportJob


def export_job_of(user: Any, job_id: int) -> ExportJob | None:
    """The export job ``job_id`` if ``user`` asked for it; None otherwise (nobody else learns of it)."""
    return ExportJob.objects.filter(pk=job_id, requested_by=user).first()
