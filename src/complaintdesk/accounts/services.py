"""Writes for users, departments and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaintdesk.accounts.models import ApiToken, Department, User
from complaintdesk.core.audit import audit
from complaintdesk.core.errors import NotFound, Problems
from complaintdesk.policy.schema import Policy, Role

TOKEN_PREFIX = "cdk_"  # noqa: S105 - a visible prefix, not a secret


@transaction.atomic
def departments_sync(*, actor: Any, policy: Policy) -> list[Department]:
    """Create or update the departments the policy names; keep others (they may own history)."""
    out = []
    for item in policy.departments:
        department, created = Department.objects.get_or_create(
            code=item.code,
            defaults={"kind": item.kind, "name_zh": item.label.zh, "name_en": item.label.en},
        )
        changed = (department.kind, department.name_zh, department.name_en) != (
            item.kind, item.label.zh, item.label.en)
        if not created and changed:
            before = {"kind": department.kind, "name_zh": department.name_zh, "name_en": department.name_en}
            Department.objects.filter(pk=department.pk).update(
                kind=item.kind, name_zh=item.label.zh, name_en=item.label.en, active=True)
            audit(actor=actor, action="department.update", obj=department, before=before,
                  after={"kind": item.kind, "name_zh": item.label.zh, "name_en": item.label.en})
        elif created:
            audit(actor=actor, action="department.create", obj=department,
                  after={"code": item.code, "name_en": item.label.en})
        out.append(department)
    return out


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str,
    roles: Iterable[Role],
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    department_code: str | None = None,
    language: str = "zh-hans",
    staff_number: str = "",
) -> User:
    problems = Problems()
    if not username.strip():
        problems.add("username", _("A username is required."))
    elif User.objects.filter(username=username).exists():
        problems.add("username", _("The username %(name)s is taken.") % {"name": username})
    department = None
    if department_code:
        department = Department.objects.filter(code=department_code).first()
        if department is None:
            problems.add("department", _("Unknown department %(code)s.") % {"code": department_code})
    try:
        password_validation.validate_password(
            password, user=User(username=username, first_name=first_name, last_name=last_name, email=email))
    except DjangoValidationError as exc:
        for message in exc.messages:
            problems.add("password", message)
    problems.raise_if_any()
    role_list = list(roles)
    is_admin = Role.ADMIN in role_list
    user = User.objects.create_user(
        username=username, password=password, first_name=first_name, last_name=last_name, email=email,
        department=department, language=language, staff_number=staff_number,
        is_staff=is_admin, is_superuser=is_admin,
    )
    for role in role_list:
        group, _created = Group.objects.get_or_create(name=role.value)
        user.groups.add(group)
    audit(actor=actor, action="user.create", obj=user,
          after={"username": username, "roles": [r.value for r in role_list],
                 "department": department_code})
    return user


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def token_create(*, actor: Any, username: str, name: str = "", days: int | None = None) -> tuple[ApiToken, str]:
    """Create a bearer token for ``username`` that expires after ``days`` (default
    ``COMPLAINTDESK_TOKEN_DAYS``); the clear token is returned once, never stored."""
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise NotFound(_("No active user named %(name)s.") % {"name": username})
    days = int(getattr(settings, "COMPLAINTDESK_TOKEN_DAYS", 90)) if days is None else days
    if not 1 <= days <= 3650:
        problems = Problems()
        problems.add("days", _("A token lives between 1 and 3650 days."))
        problems.raise_if_any()
    now = timezone.now()
    clear = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=clear[:12], key_hash=_hash(clear),
                                    created_at=now, expires_at=now + timedelta(days=days))
    audit(actor=actor, action="token.create", obj=token,
          after={"user": username, "prefix": token.prefix, "expires_at": token.expires_at})
    return token, clear


def token_list(username: str | None = None) -> list[ApiToken]:
    """Tokens, newest first (selector)."""
    qs = ApiToken.objects.select_related("user").order_by("-created_at", "-id")
    if username:
        qs = qs.filter(user__username=username)
    return list(qs)


@transaction.atomic
def token_revoke(*, actor: Any, prefix: str) -> ApiToken:
    """Revoke the token whose visible prefix is ``prefix``; it stops working at once."""
    tokens = list(ApiToken.objects.select_for_update().filter(prefix=prefix.strip()))
    if not tokens:
        raise NotFound(_("There is no API token %(prefix)s.") % {"prefix": prefix})
    token = tokens[0]
    if not token.revoked:
        ApiToken.objects.filter(pk=token.pk).update(revoked=True)
        token.revoked = True
        audit(actor=actor, action="token.revoke", obj=token, before={"revoked": False},
              after={"revoked": True, "prefix": token.prefix, "user": token.user.username})
    return token


def token_user(clear: str) -> User | None:
    """The active user a bearer token belongs to (selector; records last use at most once a minute)."""
    if not clear.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(clear), revoked=False).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
