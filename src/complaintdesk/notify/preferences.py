"""Each user's choice of how notices reach them, per group of notice kinds: on the notices page (the
default), also by e-mail, or off. The one sender (``notify.notices.notice_send``) asks
:func:`choices_for` and obeys; critical groups — missed deadlines and approvals asked of the user —
can never be switched off.

The groups name the kinds the apps register (``notice_register``); a kind outside every group falls
into "Other notices" (tests/notify/test_preferences.py fails on a registered kind without a group).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from complaintdesk.core.audit import audit
from complaintdesk.core.errors import FieldProblem, ValidationFailed
from complaintdesk.notify.models import NoticePreference

Choice = NoticePreference.Choice


@dataclass(frozen=True)
class NoticeGroup:
    code: str
    label: str | Promise
    kinds: tuple[str, ...]  # notice kinds; "prefix_*" covers prefix_<anything>
    critical: bool = False  # may not be switched off


GROUPS: tuple[NoticeGroup, ...] = (
    NoticeGroup("breaches", _("Deadlines missed"), ("clock_breach",), critical=True),
    NoticeGroup("approvals", _("Approvals asked of me"),
                ("approval_requested", "countersign_requested", "approval_delegated", "delegation"), critical=True),
    NoticeGroup("warnings", _("Deadlines coming up"), ("clock_warning",)),
    NoticeGroup("complaints", _("Complaints I own or supervise"),
                ("handover", "unit_transfer", "escalated", "major_opened", "registered_at_level",
                 "registered_suggested_level", "customer_mail", "message_failed",
                 "message_uncertain", "mail_refused")),
    NoticeGroup("work_orders", _("Work orders and their answers"),
                ("work_order", "work_order_reply", "dealer_answered")),
    NoticeGroup("plans", _("Plans' outcomes and legal advice"),
                ("plan_approved", "plan_refused", "plan_rejected", "legal_requested", "legal_advice")),
    NoticeGroup("return_visits", _("Return visits"),
                ("return_visit_assigned", "return_visit_due", "return_visit_blocked", "return_visit_reopened",
                 "close_confirmation")),
    NoticeGroup("judgements", _("Judgements and appeals"),
                ("judged", "appeal_filed", "appeal_answered", "appeal_second_review")),
    NoticeGroup("system", _("Quality alerts and calendars"), ("batch_alert", "calendar_provisional_*")),
)
OTHER = NoticeGroup("other", _("Other notices"), ())
BY_CODE = {group.code: group for group in (*GROUPS, OTHER)}
_GROUP_OF = {kind: group for group in GROUPS for kind in group.kinds}


def group_of(kind: str) -> NoticeGroup:
    """The group a notice kind belongs to (``calendar_provisional_2027`` → ``calendar_provisional_*``)."""
    group = _GROUP_OF.get(kind)
    if group is None and "_" in kind:
        group = _GROUP_OF.get(kind.rsplit("_", 1)[0] + "_*")
    return group or OTHER


def choices_for(users: Iterable[Any], group: NoticeGroup) -> dict[int, str]:
    """user id → the choice for ``group`` (the notices page when the user chose nothing); a
    critical group is never off, whatever is stored."""
    ids = [user.pk for user in users if user is not None]
    stored = dict(NoticePreference.objects.filter(user_id__in=ids, group=group.code).values_list("user_id", "choice"))
    out = {}
    for pk in ids:
        choice = stored.get(pk, Choice.PAGE)
        out[pk] = Choice.PAGE if group.critical and choice == Choice.OFF else choice
    return out


@dataclass(frozen=True)
class PreferenceRow:
    """One group as the profile page shows it."""

    code: str
    label: str
    critical: bool
    choice: str


def preferences_of(user: Any) -> list[PreferenceRow]:
    """The user's choice for every group, in the page's order."""
    stored = dict(NoticePreference.objects.filter(user=user).values_list("group", "choice"))
    return [PreferenceRow(group.code, str(group.label), group.critical,
                          Choice.PAGE if group.critical and stored.get(group.code) == Choice.OFF
                          else stored.get(group.code, Choice.PAGE))
            for group in (*GROUPS, OTHER)]


@transaction.atomic
def notice_preferences_save(*, actor: Any, choices: Mapping[str, str]) -> list[PreferenceRow]:
    """The signed-in user sets how each group of notices reaches them (``group code → choice``;
    groups not named keep their choice). Every problem is reported at once, naming the field
    ``notices.<group>``; nothing is saved unless all is well."""
    problems: list[FieldProblem] = []
    wanted: dict[str, str] = {}
    for code, choice in choices.items():
        group = BY_CODE.get(code)
        field = f"notices.{code}"
        if group is None:
            problems.append(FieldProblem(field, _("There is no such group of notices.")))
        elif choice not in Choice.values:
            problems.append(FieldProblem(field, _("Choose the notices page, e-mail or off.")))
        elif choice == Choice.OFF and group.critical:
            problems.append(FieldProblem(field, _("“%(group)s” cannot be switched off.") % {"group": group.label}))
        elif choice == Choice.EMAIL and not (actor.email or "").strip():
            problems.append(FieldProblem(field, _("Your profile has no e-mail address; ask the administrator "
                                                  "to add one.")))
        else:
            wanted[code] = choice
    if problems:
        raise ValidationFailed(problems)
    before = dict(NoticePreference.objects.filter(user=actor).values_list("group", "choice"))
    for code, choice in wanted.items():
        if choice == Choice.PAGE:
            NoticePreference.objects.filter(user=actor, group=code).delete()
        else:
            NoticePreference.objects.update_or_create(user=actor, group=code, defaults={"choice": choice})
    after = dict(NoticePreference.objects.filter(user=actor).values_list("group", "choice"))
    if after != before:
        audit(actor=actor, action="user.notice_preferences", obj=actor, before=before, after=after)
    return preferences_of(actor)
