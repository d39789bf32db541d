"""A small organisation tree for the unit tests of registration, unit policies and transfers (on
pytest's pythonpath): head office, a region "east" with dealers A and B, dealer C directly under head
office, and users who belong to those units."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from orgkit import PASSWORD


@dataclass
class Tree:
    units: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, code: str) -> Any:
        return self.units[code]


# username → [(unit code, roles)]
PEOPLE: dict[str, list[tuple[str, list[str]]]] = {
    "agent_a": [("dealer-a", ["agent"])],
    "agent_b": [("dealer-b", ["agent"])],
    "sup_a": [("dealer-a", ["supervisor"])],
    "sup_b": [("dealer-b", ["supervisor"])],
    "sup_east": [("east", ["supervisor"])],
    "sup_c": [("dealer-c", ["supervisor"])],
    "twice": [("dealer-a", ["agent"]), ("dealer-b", ["agent"])],
    "line": [("east", ["specialist"]), ("dealer-a", ["agent"])],
    "hq_sup": [("hq", ["supervisor"])],
    "handler_a": [("dealer-a", ["handler"])],
}


def build_tree() -> Tree:
    from complaintdesk.accounts.services import user_create
    from complaintdesk.units.models import root_unit
    from complaintdesk.units.services import membership_set, unit_create

    tree = Tree()
    tree.units["hq"] = root_unit()
    tree.units["east"] = unit_create(actor=None, code="east", kind="region", name_zh="华东区", name_en="East region")
    tree.units["dealer-a"] = unit_create(actor=None, code="dealer-a", kind="dealer", name_zh="经销商A",
                                         name_en="Dealer A", parent="east", number_prefix="DA")
    tree.units["dealer-b"] = unit_create(actor=None, code="dealer-b", kind="dealer", name_zh="经销商B",
                                         name_en="Dealer B", parent="east", number_prefix="DB")
    tree.units["dealer-c"] = unit_create(actor=None, code="dealer-c", kind="dealer", name_zh="经销商C",
                                         name_en="Dealer C", parent="hq")
    for username, places in PEOPLE.items():
        user = user_create(actor=None, username=username, password=PASSWORD, roles=[],
                           first_name=username.title(), last_name="Unit", language="en")
        for code, roles in places:
            membership_set(actor=None, username=username, unit=code, roles=roles)
        user.refresh_from_db()
        tree.users[username] = user
    return tree


def variant(preset: str, version: str, *replacements: tuple[str, str]) -> Any:
    """A preset's text with replacements and a new version, parsed (a LoadedPolicy), not installed."""
    import hashlib

    from complaintdesk.policy.load import LoadedPolicy, parse_policy_text, preset_path

    text = preset_path(preset).read_text(encoding="utf-8")
    policy = parse_policy_text(text, f"{preset}.yaml")
    for old, new in [*replacements, (f'version: "{policy.version}"', f'version: "{version}"')]:
        if old not in text:
            raise AssertionError(old)
        text = text.replace(old, new, 1)
    return LoadedPolicy(parse_policy_text(text, f"{preset}-{version}.yaml"), text,
                        hashlib.sha256(text.encode()).hexdigest(), f"{preset}-{version}.yaml")


def install_inactive(loaded: Any) -> Any:
    """Install a version without making it the active one (a unit's own version)."""
    from complaintdesk.core.policies import policy_install

    return policy_install(actor=None, loaded=loaded, activate=False)
