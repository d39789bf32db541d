"""Helpers shared by every test directory (on pytest's pythonpath): an organisation installed from a
preset with one user per role, variants of a preset, and a valid registration."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

PASSWORD = "correct-horse-battery"
ROLES = ["agent", "specialist", "handler", "supervisor", "qc_manager", "cs_head", "vp", "gm", "legal", "quality",
         "admin"]


@dataclass
class Org:
    """The installed policy and one user per role, named after the role."""

    version: Any
    policy: Any
    users: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, role: str) -> Any:
        return self.users[role]


def install_org(preset: str = "phone_maker") -> Org:
    from complaintdesk.accounts.models import User
    from complaintdesk.accounts.services import user_create
    from complaintdesk.core.policies import policy_install, policy_of
    from complaintdesk.policy.load import load_preset
    from complaintdesk.policy.schema import Role

    loaded = load_preset(preset)
    version = policy_install(actor=None, loaded=loaded)
    department = loaded.policy.departments[0].code if loaded.policy.departments else None
    users = {}
    for role in ROLES:
        user = User.objects.filter(username=role).first()
        if user is None:
            user = user_create(actor=None, username=role, password=PASSWORD, roles=[Role(role)],
                               first_name=role.title(), last_name="Test",
                               department_code=department if role == "handler" else None,
                               language="en")
        users[role] = user
    return Org(version=version, policy=policy_of(version), users=users)


def install_variant(preset: str, version: str, *replacements: tuple[str, str]) -> Org:
    """Install a variant of a preset (text replaced, new version) as the active policy; the users of
    ``install_org(preset)`` are created first. For rules no shipped preset has."""
    from complaintdesk.core.policies import policy_install, policy_of
    from complaintdesk.policy.load import LoadedPolicy, parse_policy_text, preset_path

    org = install_org(preset)
    text = preset_path(preset).read_text(encoding="utf-8")
    for old, new in [*replacements, (f'version: "{org.policy.version}"', f'version: "{version}"')]:
        if old not in text:
            raise AssertionError(old)
        text = text.replace(old, new, 1)
    loaded = LoadedPolicy(parse_policy_text(text, f"{preset}-{version}.yaml"), text,
                          hashlib.sha256(text.encode()).hexdigest(), f"{preset}-{version}.yaml")
    org.version = policy_install(actor=None, loaded=loaded)
    org.policy = policy_of(org.version)
    return org


def valid_registration(**overrides: Any) -> dict[str, Any]:
    """A complete, valid registration for the phone maker's "product" category."""
    data: dict[str, Any] = {
        "customer": {"title": "ms", "first_name": "Emily", "last_name": "Carter", "phone": "13812345678",
                     "email": "emily@example.com", "address": "Shanghai", "language": "en"},
        "product": {"model": "Reno 8 Pro", "imei": "490154203237518", "build_number": "A.21",
                    "purchase_date": "2026-03-01"},
        "channel": "hotline",
        "category": "product",
        "targets": ["product"],
        "reason_codes": ["product_quality", "software"],
        "reason": "Customer complains calls drop after the update",
        "description": "Since the last update calls drop after about one minute.",
        "customer_request": "Fix within one week or refund",
        "facts": {"fault_scenario": "Calls drop after 60 s", "troubleshooting": "Reset network settings",
                  "repair_history": "None"},
    }
    data.update(overrides)
    return data
