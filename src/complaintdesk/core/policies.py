"""Installing policy files and finding the policy in force.

A policy version is parsed once per process and cached by its primary key and content hash;
complaints keep a foreign key to the version they were registered under, so a later policy never
changes the rules of an earlier complaint. Finding the version in force reads its key and hash, not
its text: the text is read only the first time a process meets that version.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaintdesk.core.audit import audit
from complaintdesk.core.errors import Conflict, NotFound
from complaintdesk.core.models import PolicyVersion
from complaintdesk.policy.load import LoadedPolicy, parse_policy_text
from complaintdesk.policy.schema import Policy

# Work the apps do when a policy is installed, in the installing transaction: hook(actor=, policy=)
# (the accounts app brings the departments in line with the policy's list).
INSTALL_HOOKS: list[Callable[..., Any]] = []


def install_hook(hook: Callable[..., Any]) -> Callable[..., Any]:
    """Register a function run after a policy version is installed and activated."""
    if hook not in INSTALL_HOOKS:
        INSTALL_HOOKS.append(hook)
    return hook


_PARSED: dict[tuple[int, str], Policy] = {}
_PARSED_LIMIT = 64


def _parse(pk: int, sha256: str, text: str) -> Policy:
    return parse_policy_text(text, f"policy-version-{pk}")


def policy_of(version: PolicyVersion) -> Policy:
    """The parsed policy of ``version``, from the process's cache after the first time (the key is
    the version's primary key and content hash: a long text is neither hashed nor compared again,
    and a deferred ``text`` is not loaded on a hit)."""
    key = (version.pk, version.sha256)
    policy = _PARSED.get(key)
    if policy is None:
        policy = _parse(version.pk, version.sha256, version.text)
        if len(_PARSED) >= _PARSED_LIMIT:
            with contextlib.suppress(RuntimeError, StopIteration):  # another thread may be doing the same
                _PARSED.pop(next(iter(_PARSED)), None)  # forget the oldest
        _PARSED[key] = policy
    return policy


# The version in force, read once per request: a page asks for it in the view and again in the
# navigation's checks (four to five queries before). Only inside a request (ActivePolicyPerRequest)
# and only for reads outside the transactions the request opens (a transaction may install a version
# and roll back); installing or activating a version forgets it.
_REQUEST_VERSION: ContextVar[dict[str, Any] | None] = ContextVar("request_policy_version", default=None)


class ActivePolicyPerRequest:
    """Middleware: the policy version in force is read at most once per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _REQUEST_VERSION.set({"depth": len(connection.atomic_blocks)})
        try:
            return self.get_response(request)
        finally:
            _REQUEST_VERSION.reset(token)


def active_version() -> PolicyVersion:
    remembered = _REQUEST_VERSION.get()
    if remembered is not None and remembered["depth"] != len(connection.atomic_blocks):
        remembered = None  # inside a transaction of the request: read, do not remember
    if remembered is not None and "version" in remembered:
        known: PolicyVersion = remembered["version"]
        return known
    # the text (tens of kilobytes) is loaded only if policy_of() has not parsed this version yet
    version = PolicyVersion.objects.filter(active=True).defer("text").first()
    if version is None:
        raise NotFound(_("No policy is installed. Run: complaintdesk policy install PRESET"))
    if remembered is not None:
        remembered["version"] = version
    return version


def active_policy() -> tuple[PolicyVersion, Policy]:
    version = active_version()
    return version, policy_of(version)


@transaction.atomic
def policy_install(*, actor: Any, loaded: LoadedPolicy, activate: bool = True) -> PolicyVersion:
    """Install a parsed policy file (a file with errors never gets here: it does not parse).

    Re-installing the same content is a no-op; the same id and version with different content is
    refused: a changed policy needs a new version so that earlier complaints keep their rules.
    """
    policy = loaded.policy
    remembered = _REQUEST_VERSION.get()
    if remembered is not None:
        remembered.pop("version", None)  # this request reads the version in force again
    existing = PolicyVersion.objects.filter(policy_id=policy.id, version=policy.version).first()
    if existing is not None and existing.sha256 != loaded.sha256:
        raise Conflict(
            _("Policy %(id)s version %(version)s is already installed with different content; "
              "give the changed file a new version.") % {"id": policy.id, "version": policy.version}
        )
    if existing is None:
        existing = PolicyVersion.objects.create(
            policy_id=policy.id, version=policy.version, sha256=loaded.sha256, text=loaded.text,
            source=loaded.source[-255:], installed_at=timezone.now(),
        )
        audit(actor=actor, action="policy.install", obj=existing,
              after={"policy": policy.id, "version": policy.version, "sha256": loaded.sha256})
    if activate and not existing.active:
        before = PolicyVersion.objects.filter(active=True).first()
        PolicyVersion.objects.filter(active=True).update(active=False)
        PolicyVersion.objects.filter(pk=existing.pk).update(active=True)
        existing.active = True
        audit(actor=actor, action="policy.activate", obj=existing,
              before={"active": str(before) if before else None}, after={"active": str(existing)})
    for hook in INSTALL_HOOKS:
        hook(actor=actor, policy=policy)
    return existing
