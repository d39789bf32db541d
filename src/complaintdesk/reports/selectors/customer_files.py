"""The customer files of a period (``reports[].dimensions: [customer_files]``). Seed 003 (dealer
network): "the dealer must be in the month before 5 submitted to … the relevant regional manager
customer files last month", each file holding what ``customer_profile`` names (name, address,
phone, product model, purchase time, purchase area). One row per unit and customer whose complaint
was registered in the period: the unit, the complaints, each field of the file as the customer page
shows it (contact data masked: the workbook travels by e-mail) and the fields the file still lacks.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.selectors.customers import PROFILE_LABELS, customer_profile
from complaintdesk.core.i18n import listed
from complaintdesk.policy.schema import Policy
from complaintdesk.reports.periods import Period
from complaintdesk.reports.scope import EVERYTHING, ReportScope, tree_key


def customer_files(policy: Policy, period: Period, language: str,
                   scope: ReportScope = EVERYTHING) -> dict[str, Any]:
    """``{"fields": [labels of the file's fields], "rows": [...]}``; each row: unit, customer number,
    complaint numbers (the latest first), the file's values in the order of ``fields``, and the
    labels of the fields without a value."""
    registered = (Complaint.objects.filter(scope.complaints(), registered_at__gte=period.start,
                                           registered_at__lt=period.end)
                  .select_related("unit", "customer", "product", "policy_version")
                  .order_by("-registered_at", "-id"))
    groups: dict[tuple[int | None, int], list[Complaint]] = {}
    for complaint in registered:
        groups.setdefault((complaint.unit_id, complaint.customer_id), []).append(complaint)
    zh = language.startswith("zh")
    rows: list[dict[str, Any]] = []
    for complaints in groups.values():
        latest = complaints[0]
        file = customer_profile(complaints, policy.customer_profile)
        rows.append({
            "path": latest.unit.path,
            "unit": latest.unit.name_zh if zh else latest.unit.name_en,
            "customer": latest.customer_id,
            "numbers": listed((c.number for c in complaints), language),
            "values": [field.value for field in file],
            "missing": listed((field.label for field in file if not field.value), language) or _("None"),
        })
    rows.sort(key=lambda row: (tree_key(str(row["path"])), str(row["unit"]), int(row["customer"])))
    return {"fields": [str(PROFILE_LABELS[code]) for code in policy.customer_profile], "rows": rows}
