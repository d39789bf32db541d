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
from complaintdesk.reports.selectors.monthly import clocks, coded_rows, grouped, registered_in, satisfaction, totals


def public_results(policy: Policy, month: Month, *, now: datetime, language: str) -> dict[str, Any]:
    head = totals(month)
    deadlines = clocks(policy, month, now, language)
    met = sum(row["met"] for row in deadlines)
    breached = sum(row["breached"] for row in deadlines)
    visits = satisfaction(policy, month, language)
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
        "categories": coded_rows(policy.categories, grouped(registered_in(month), "category"), head["opened"],
                                  language),
        "on_time_rate": rate(met, met + breached),
        "satisfaction": visits["rows"],
        "answered": visits["answered"],
    }
