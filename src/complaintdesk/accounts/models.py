"""Users, departments and API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from complaintdesk.core.names import full_name


class Department(models.Model):
    """A department that answers work orders (service centre, dealer, NOC…), from the policy."""

    code = models.CharField(_("code"), max_length=48, unique=True)
    kind = models.CharField(_("kind"), max_length=32, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_zh if (get_language() or "").startswith("zh") else self.name_en


class User(AbstractUser):
    """A member of staff. Roles are the groups the user belongs to (see accounts.roles)."""

    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="members",
        verbose_name=_("department"),
    )
    staff_number = models.CharField(_("staff number"), max_length=32, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=[("zh-hans", "中文"), ("en", "English")], default="zh-hans"
    )
    away_until = models.DateTimeField(_("away until"), null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def display_name(self) -> str:
        """"张伟" for a Chinese name, "Wei Zhang" for a Western one; the username without a name."""
        return full_name(self.first_name, self.last_name) or self.username


class ApiToken(models.Model):
    """A bearer token for integrations. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=80, blank=True)
    prefix = models.CharField(_("visible prefix"), max_length=12)
    key_hash = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class LoginThrottle(models.Model):
    """Failed log-ins counted per account and per client address (accounts/throttle.py)."""

    class Scope(models.TextChoices):
        ACCOUNT = "account", _("account")
        ADDRESS = "address", _("address")

    scope = models.CharField(max_length=8, choices=Scope.choices, verbose_name=_("scope"))
    key = models.CharField(max_length=160, verbose_name=_("key"))
    failures = models.PositiveIntegerField(default=0, verbose_name=_("failures"))
    window_start = models.DateTimeField(verbose_name=_("window start"))
    locked_until = models.DateTimeField(null=True, blank=True, verbose_name=_("locked until"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="login_throttle_unique")]
        verbose_name = _("log-in throttle")
        verbose_name_plural = _("log-in throttles")

    def __str__(self) -> str:
        return f"{self.scope}:{self.key} ({self.failures})"
