"""The public results page (policy ``publication:``, e.g. the scenic area's 投诉处理结果公示):
a finished month's anonymised figures — how many complaints were received and handled, by
category, with their outcomes, the deadlines kept and satisfaction. Counts only: no number, name,
text or anything else that could point at a person."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from complaintdesk.policy.schema import Policy
from complaintdesk.reports.periods import Month
from complaintdesk.reports.selectors.common import rate
from complaintdesk.reports.selectors.daily import FACT
from complaintdesk.reports.selectors.monthly import (
    clock_table,
    coded_rows,
    counts_by,
    month_reading,
    satisfaction_table,
    totals,
)


def public_results(policy: Policy, month: Month, *, now: datetime, language: str) -> dict[str, Any]:
    reading = month_reading(month, now)
    head = totals(month, now=now, reading=reading)
    lines = reading.lines("code")
    deadlines = clock_table(policy, lines, language)
    met = sum(row["met"] for row in deadlines)
    breached = sum(row["breached"] for row in deadlines)
    visits = satisfaction_table(policy, lines, language)
    return {
        "month": month.code,
        "where": policy.publication.where.get(language) if policy.publication else "",
        "organisation": policy.organisation.get(language),
        "figures": [
            (_("Complaints received"), head["opened"]),
            (_("Complaints handled and closed"), head["closed"]),
            (_("Not accepted"), head["rejected"]),
            (_("Withdrawn by the complainant"), head["withdrawn"]),
            (_("Still being handled at the end of the month"), head["open_at_end"]),
        ],
        "categories": coded_rows(policy.categories, counts_by(reading.lines("category"), FACT.REGISTERED, "category"),
                             head["opened"], language),
        "on_time_rate": rate(met, met + breached),
        "satisfaction": visits["rows"],
        "answered": visits["answered"],
    }
