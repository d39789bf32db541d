"""Regulator returns: a complaints return in the shape of the UK FCA DISP half-yearly return, and a
complaint export in the style of the US CFPB complaint database. Definitions in docs/reports.md.

The DISP figures are SQL aggregates per product group (the policy's category); the CFPB rows are
streamed from a database iterator."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Case, Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, Value, When
from django.db.models.fields.json import KT
from django.db.models.functions import ExtractIsoWeekDay
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaintdesk.clocks.models import Clock
from complaintdesk.complaints.models import Complaint
from complaintdesk.core.errors import FieldProblem, ValidationFailed
from complaintdesk.policy.schema import Policy
from complaintdesk.reports.labels import label_of, reason_path_label
from complaintdesk.reports.scope import EVERYTHING, ReportScope
from complaintdesk.reports.selectors.common import share
from complaintdesk.reports.selectors.monthly import FINAL
from complaintdesk.resolutions.models import Plan

HALF_RE = re.compile(r"^(\d{4})-H([12])$")
CLEARED = (Plan.State.APPROVED, Plan.State.AUTHORISED)
# three business days after receipt (weekends skipped; holidays are not known to this return):
# received on Monday or Tuesday → 3 days; Wednesday to Friday → 5; Saturday → 4; Sunday → 3
THREE_BUSINESS_DAYS = {1: 3, 2: 3, 3: 5, 4: 5, 5: 5, 6: 4, 7: 3}


@dataclass(frozen=True)
class HalfYear:
    year: int
    half: int
    tz: ZoneInfo

    @property
    def code(self) -> str:
        return f"{self.year}-H{self.half}"

    @property
    def start(self) -> datetime:
        return datetime(self.year, 1 if self.half == 1 else 7, 1, tzinfo=self.tz)

    @property
    def end(self) -> datetime:
        return datetime(self.year, 7, 1, tzinfo=self.tz) if self.half == 1 else datetime(self.year + 1, 1, 1,
                                                                                           tzinfo=self.tz)


def parse_half(value: str, tz: ZoneInfo) -> HalfYear:
    match = HALF_RE.match(value.strip())
    if match is None:
        raise ValidationFailed([FieldProblem("half", gettext_lazy("Give the half-year as YYYY-H1 or YYYY-H2."))])
    return HalfYear(int(match.group(1)), int(match.group(2)), tz)


def _cleared_plan() -> Exists:
    return Exists(Plan.objects.filter(complaint_id=OuterRef("pk"), state__in=CLEARED))


def fca_disp_return(policy: Policy, half: HalfYear, language: str,
                    scope: ReportScope = EVERYTHING) -> list[dict[str, Any]]:
    """Per product group (category): opened (received in the half-year), closed (finished in it),
    closed within three business days and within eight weeks of receipt (shares of closed), upheld
    (closed with an approved or authorised remedy plan; share of closed), and the main cause (the
    most frequent level-1 root cause of the closed ones)."""
    tz = ZoneInfo(policy.timezone)
    allowed = Case(*[When(weekday=day, then=Value(timedelta(days=n))) for day, n in THREE_BUSINESS_DAYS.items()],
                   output_field=DurationField())
    took = ExpressionWrapper(F("closed_at") - F("received_at"), output_field=DurationField())
    opened = dict(Complaint.objects.filter(scope.complaints(), received_at__gte=half.start, received_at__lt=half.end)
                  .values_list("category").annotate(n=Count("id")).values_list("category", "n"))
    closed_qs = (Complaint.objects.filter(scope.complaints(), closed_at__gte=half.start, closed_at__lt=half.end,
                                          status__in=FINAL)
                 .annotate(weekday=ExtractIsoWeekDay("received_at", tzinfo=tz), took=took, allowed=allowed,
                           remedy=_cleared_plan()))
    closed = {row[0]: row[1:] for row in closed_qs.values_list("category").annotate(
        n=Count("id"),
        three_days=Count("id", filter=Q(took__lte=F("allowed"))),
        eight_weeks=Count("id", filter=Q(took__lte=timedelta(weeks=8))),
        upheld=Count("id", filter=Q(remedy=True, status=Complaint.Status.CLOSED)),
    ).values_list("category", "n", "three_days", "eight_weeks", "upheld")}
    causes: dict[str, tuple[int, str]] = {}
    for category, cause, n in (closed_qs.exclude(root_cause=[]).annotate(cause=KT("root_cause__0"))
                               .values_list("category", "cause").annotate(n=Count("id"))
                               .values_list("category", "cause", "n")):
        if category not in causes or (n, cause) > causes[category]:
            causes[category] = (int(n), str(cause))
    rows = []
    for category in sorted(set(opened) | set(closed),
                           key=lambda c: ([x.code for x in policy.categories] + [c]).index(c)):
        n, three, eight, upheld = closed.get(category, (0, 0, 0, 0))
        cause = causes.get(category)
        rows.append({
            "product_group": label_of(policy.categories, category, language), "code": category,
            "opened": int(opened.get(category, 0)), "closed": int(n),
            "closed_within_3_business_days_pct": share(int(three), int(n)),
            "closed_within_8_weeks_pct": share(int(eight), int(n)),
            "upheld_pct": share(int(upheld), int(n)),
            "main_cause": reason_path_label(policy, [cause[1]], language) if cause else "",
        })
    return rows


def fca_csv(rows: list[dict[str, Any]], half: HalfYear) -> str:
    import io

    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([_("Reporting period"), _("Product group"), _("Opened"), _("Closed"),
                     _("Closed within 3 business days (%)"), _("Closed within 8 weeks (%)"), _("Upheld (%)"),
                     _("Main cause")])
    for row in rows:
        writer.writerow([half.code, row["product_group"], row["opened"], row["closed"],
                         row["closed_within_3_business_days_pct"], row["closed_within_8_weeks_pct"],
                         row["upheld_pct"], row["main_cause"]])
    return buffer.getvalue()


# --- CFPB-style export -------------------------------------------------------------------------------

CFPB_COLUMNS = ["Date received", "Product", "Sub-product", "Issue", "Sub-issue", "Consumer complaint narrative",
                "Company response to consumer", "Timely response?", "Submitted via", "Date sent to company",
                "Complaint ID"]


def cfpb_rows(policy: Policy, first: date, last: date, now: datetime,
              scope: ReportScope = EVERYTHING) -> Iterator[list[str]]:
    """Complaints received in ``[first, last]`` (policy time zone), one CFPB-style row each. The
    narrative is left empty: consent to publish it is not recorded. Field values are the CFPB's
    English terms; product and issue are the policy's English labels."""
    tz = ZoneInfo(policy.timezone)
    start = datetime(first.year, first.month, first.day, tzinfo=tz)
    after = last + timedelta(days=1)
    end = datetime(after.year, after.month, after.day, tzinfo=tz)
    money = Exists(Plan.objects.filter(complaint_id=OuterRef("pk"), state__in=CLEARED, total__gt=0))
    breached = Exists(Clock.objects.filter(complaint_id=OuterRef("pk"), breached_at__isnull=False))
    rows = (Complaint.objects.filter(scope.complaints(), received_at__gte=start, received_at__lt=end)
            .annotate(monetary=money, remedy=_cleared_plan(), breached=breached)
            .order_by("received_at", "id")
            .values_list("number", "received_at", "registered_at", "category", "product__model", "reason_codes",
                         "channel", "status", "reply_due_at", "monetary", "remedy", "breached")
            .iterator(chunk_size=2000))
    yield CFPB_COLUMNS
    for (number, received, registered, category, model, reasons, channel, status, reply_due, monetary, remedy,
         late) in rows:
        if status == Complaint.Status.CLOSED:
            response = ("Closed with monetary relief" if monetary else
                        "Closed with non-monetary relief" if remedy else "Closed with explanation")
        elif status in {Complaint.Status.REJECTED, Complaint.Status.WITHDRAWN}:
            response = "Closed with explanation"
        elif reply_due is not None and reply_due < now:
            response = "Untimely response"
        else:
            response = "In progress"
        reasons = list(reasons or [])
        yield [f"{received.astimezone(tz):%m/%d/%Y}", label_of(policy.categories, category, "en"), model or "",
               reason_path_label(policy, reasons[:1], "en") if reasons else "",
               reason_path_label(policy, reasons[:2], "en").split(" › ")[-1] if len(reasons) > 1 else "",
               "", response, "No" if late or response == "Untimely response" else "Yes",
               label_of(policy.channels, channel, "en"), f"{registered.astimezone(tz):%m/%d/%Y}", number]


class _Echo:
    def write(self, value: str) -> str:
        return value


def cfpb_stream(rows: Iterator[list[str]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(row)
