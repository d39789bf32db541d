"""Installing policy versions; a complaint keeps the version it was registered under."""

from __future__ import annotations

from typing import Any

import pytest

from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.complaints.services import complaint_register
from complaintdesk.core.errors import Conflict
from complaintdesk.core.models import PolicyVersion
from complaintdesk.core.policies import active_policy, policy_install
from complaintdesk.policy.load import LoadedPolicy, load_preset, parse_policy_text

pytestmark = pytest.mark.django_db


def bumped(loaded: LoadedPolicy, version: str, change: tuple[str, str] | None = None) -> LoadedPolicy:
    """The preset with another version number and, optionally, one regex substitution."""
    import hashlib
    import re

    text = loaded.text.replace('version: "2026.1"', f'version: "{version}"')
    if change:
        text, count = re.subn(change[0], change[1], text, count=1, flags=re.MULTILINE)
        assert count == 1, change

    return LoadedPolicy(parse_policy_text(text, "test"), text, hashlib.sha256(text.encode()).hexdigest(), "test")


def test_reinstalling_the_same_file_is_a_no_op(org: Any) -> None:
    again = policy_install(actor=None, loaded=load_preset("phone_maker"))
    assert again.pk == org.version.pk
    assert PolicyVersion.objects.count() == 1


def test_same_version_with_different_content_is_refused(org: Any) -> None:
    loaded = load_preset("phone_maker")
    changed = bumped(loaded, "2026.1", (r"window_days: 30", "window_days: 45"))
    with pytest.raises(Conflict):
        policy_install(actor=None, loaded=changed)


def test_a_complaint_keeps_the_policy_version_it_was_registered_under(org: Any, registration: Any) -> None:
    first = complaint_register(actor=org["agent"], data=ComplaintIn(**registration()).to_input())
    newer = policy_install(actor=None, loaded=bumped(load_preset("phone_maker"), "2026.2",
                                                     (r"^(  - code: first_reply\n(?:    .*\n)*?    duration: )24h",
                                                      r"\g<1>48h")))
    assert active_policy()[0] == newer
    second = complaint_register(actor=org["agent"], data=ComplaintIn(**registration(
        customer={"first_name": "Ann", "last_name": "Li", "phone": "13912345678"})).to_input())
    first.refresh_from_db()
    assert first.policy_version == org.version and second.policy_version == newer
    assert (second.reply_due_at - second.received_at).total_seconds() == 48 * 3600
    assert (first.reply_due_at - first.received_at).total_seconds() == 24 * 3600


def test_installing_a_preset_creates_its_departments(org: Any) -> None:
    from complaintdesk.accounts.models import Department

    assert set(Department.objects.values_list("code", flat=True)) >= {d.code for d in org.policy.departments}
