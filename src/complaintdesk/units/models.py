"""The unit tree and who belongs where."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from complaintdesk.core.models import PolicyVersion
from complaintdesk.policy.schema import Role

ROOT_CODE = "hq"


def path_segment(pk: int) -> str:
    """One step of a unit's path: its primary key in 8 digits, so that paths sort in tree order
    (``/00000001/00000009/`` before ``/00000001/00000010/``)."""
    return f"{pk:08d}/"


class Unit(models.Model):
    """One node of the organisation: head office at the root, then regions, branches, stores and
    dealers. ``path`` lists the primary keys from the root down to this unit
    (``/00000001/00000004/00000009/``), so that "this unit and everything below it" is one indexed
    prefix match and ordering by path is tree order."""

    class Kind(models.TextChoices):
        HEAD_OFFICE = "head_office", _("Head office")
        REGION = "region", _("Region")
        BRANCH = "branch", _("Branch")
        STORE = "store", _("Store")
        DEALER = "dealer", _("Dealer")

    code = models.CharField(
        _("code"), max_length=32, unique=True,
        validators=[RegexValidator(r"^[a-z0-9][a-z0-9_-]*$",
                                   _("Use lower-case letters, digits, '-' and '_' only."))])
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.BRANCH)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name=_("parent unit"))
    path = models.CharField(_("path"), max_length=400, db_index=True, editable=False, default="")
    number_prefix = models.CharField(
        _("number prefix"), max_length=8, blank=True,
        validators=[RegexValidator(r"^[A-Z0-9]{1,8}$", _("Use 1 to 8 capital letters or digits."))])
    policy_version = models.ForeignKey(
        PolicyVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("own policy version"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_zh if (get_language() or "").startswith("zh") else self.name_en

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2 if self.path else 0

    def ancestor_ids(self) -> list[int]:
        """Primary keys from the root down to this unit, this unit last."""
        return [int(part) for part in self.path.strip("/").split("/") if part]


class Membership(models.Model):
    """A user holds ``role`` at ``unit`` and every unit below it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
                             verbose_name=_("user"))
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("unit"))
    role = models.CharField(_("role"), max_length=24, choices=[(role.value, role.value) for role in Role])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique")]
        verbose_name = _("unit membership")
        verbose_name_plural = _("unit memberships")

    def __str__(self) -> str:
        return f"{self.user} · {self.role} @ {self.unit.code}"


def root_unit() -> Unit:
    """Head office: the root of the tree, created on first use (a single-unit organisation needs no
    step of its own)."""
    unit = Unit.objects.filter(parent=None).order_by("pk").first()
    if unit is None:
        unit = Unit.objects.create(code=ROOT_CODE, kind=Unit.Kind.HEAD_OFFICE, name_zh="总部", name_en="Head office")
        unit.path = "/" + path_segment(unit.pk)
        Unit.objects.filter(pk=unit.pk).update(path=unit.path)
    return unit


def root_unit_id() -> int:
    """Default of every unit column: a record written without a unit belongs to head office."""
    return root_unit().pk
