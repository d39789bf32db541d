"""Writes for users, departments and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Group
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
def token_create(*, actor: Any, username: str, name: str = "") -> tuple[ApiToken, str]:
    """Create a bearer token for ``username``; the clear token is returned once, never stored."""
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise NotFound(_("No active user named %(name)s.") % {"name": username})
    clear = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=clear[:12], key_hash=_hash(clear),
                                    created_at=timezone.now())
    audit(actor=actor, action="token.create", obj=token, after={"user": username, "prefix": token.prefix})
    return token, clear


def token_user(clear: str) -> User | None:
    """The active user a bearer token belongs to (selector; records last use at most once a minute)."""
    if not clear.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(clear), revoked=False).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
