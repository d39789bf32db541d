"""Staff accountability: the judgements of complaints about staff made in a month, per staff member
and per team (the staff member's department), with their appeals and outcomes."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from complaintdesk.core.names import full_name
from complaintdesk.followup.models import Judgement
from complaintdesk.reports.periods import Period
from complaintdesk.reports.scope import EVERYTHING, ReportScope, tree_key
from complaintdesk.reports.selectors.common import share

AGGREGATES = {
    "judged": Count("id"),
    "valid": Count("id", filter=Q(validity=Judgement.Validity.VALID)),
    "invalid": Count("id", filter=Q(validity=Judgement.Validity.INVALID)),
    "company_at_fault": Count("id", filter=Q(company_at_fault=True)),
    "appeals": Count("appeal"),
    "pending": Count("appeal", filter=Q(appeal__answered_at__isnull=True)),
    "upheld": Count("appeal", filter=Q(appeal__answered_at__isnull=False, appeal__changed=False)),
    "changed": Count("appeal", filter=Q(appeal__answered_at__isnull=False, appeal__changed=True)),
}
FIGURES = tuple(AGGREGATES)


def accountability(period: Period, language: str, scope: ReportScope = EVERYTHING) -> dict[str, Any]:
    """Judgements made in ``[start, end)`` on the complaints of ``scope``: per staff member, per team
    and per unit (of the complaint). A judgement changed on appeal counts with its final validity
    (the appeal replaces it)."""
    judged = Judgement.objects.filter(scope.complaints("complaint__"), judged_at__gte=period.start,
                                      judged_at__lt=period.end)
    staff_rows = (judged.values_list("staff__username", "staff__first_name", "staff__last_name",
                                     "staff__department__code")
                  .annotate(**AGGREGATES)
                  .values_list("staff__username", "staff__first_name", "staff__last_name",
                               "staff__department__code", *FIGURES)
                  .order_by("staff__username"))
    team_rows = (judged.values_list("staff__department__code", "staff__department__name_zh",
                                    "staff__department__name_en")
                 .annotate(**AGGREGATES)
                 .values_list("staff__department__code", "staff__department__name_zh",
                              "staff__department__name_en", *FIGURES)
                 .order_by("staff__department__code"))
    zh = language.startswith("zh")
    staff = []
    for username, first, last, team, *figures in staff_rows:
        row = dict(zip(FIGURES, (int(v) for v in figures), strict=True))
        name = full_name(first, last)  # 王建国 for a Chinese name, Agent Test for a Western one
        staff.append({"username": username, "name": name or username, "team": team or "", **row,
                      "valid_share": share(row["valid"], row["judged"])})
    staff.sort(key=lambda r: (-r["valid"], r["username"]))
    teams = []
    for code, name_zh, name_en, *figures in team_rows:
        row = dict(zip(FIGURES, (int(v) for v in figures), strict=True))
        teams.append({"code": code or "", "label": (name_zh if zh else name_en) if code else _("No department"),
                      **row, "valid_share": share(row["valid"], row["judged"])})
    unit_names = ("complaint__unit__code", "complaint__unit__name_zh", "complaint__unit__name_en",
                  "complaint__unit__path")
    units = []
    unit_figures = judged.values_list(*unit_names).annotate(**AGGREGATES).values_list(*unit_names, *FIGURES)
    for code, name_zh, name_en, path, *figures in sorted(unit_figures.order_by(), key=lambda r: tree_key(r[3])):
        row = dict(zip(FIGURES, (int(v) for v in figures), strict=True))
        units.append({"code": code, "label": name_zh if zh else name_en, "depth": path.count("/") - 2, **row,
                      "valid_share": share(row["valid"], row["judged"])})
    return {"month": period.code, "unit": scope.as_dict(), "staff": staff, "teams": teams, "units": units}
