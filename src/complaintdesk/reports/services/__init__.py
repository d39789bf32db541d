"""The writes of the reports app: scheduled reports (``scheduled``), the daily summary the reports
read (``summary``) and large exports written by the worker (``exports``)."""

from complaintdesk.reports.services.scheduled import (
    due_periods,
    report_delivery_send,
    report_run_generate,
    run_scheduled,
    scheduled_reports_run,
)
from complaintdesk.reports.services.summary import summary_refresh

__all__ = ["due_periods", "report_delivery_send", "report_run_generate", "run_scheduled", "scheduled_reports_run",
           "summary_refresh"]
