"""The administrators' notice that deadlines in a year the official calendar does not know are
provisional (DESIGN.md §1: never a silent guess)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from complaintdesk.accounts.selectors import role_holders
from complaintdesk.notify.models import Message
from complaintdesk.notify.notices import notice_register, notice_send
from complaintdesk.policy.schema import Policy, Role


def register() -> None:
    # one kind per year (calendar_provisional_2027), so that each year is announced once
    notice_register("calendar_provisional_*", subject=_("Load the %(year)d holiday schedule"),
                    body=_("Deadlines that reach into %(year)d are provisional (weekdays minus the statutory "
                           "holidays): the official %(year)d schedule is not loaded. Load it with: complaintdesk "
                           "calendar load FILE (see docs/operations.md)."))


def alert_provisional(policy: Policy, years: frozenset[int] | set[int]) -> int:
    """Tell the administrators, once per year, that deadlines in a year the official calendar does
    not know are provisional and that year's schedule should be loaded."""
    if policy.calendar.country != "CN":
        return 0
    sent = 0
    for year in sorted(years):
        kind = f"calendar_provisional_{year}"
        if Message.objects.filter(kind=kind).exists():
            continue
        sent += notice_send(users=role_holders(Role.ADMIN), kind=kind, year=year)
    return sent
