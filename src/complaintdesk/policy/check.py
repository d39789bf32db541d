"""The ``complaintdesk policy check`` command (pure Python).

``check`` validates policy files and presets and prints one line per problem::

    path/to/policy.yaml:42: triggers[3].level: unknown level 'severe'; known: crisis, general, major
    path/to/other.yaml: ok (policy pc_maker 2026.1, 2 levels, 8 categories, 10 clocks)

A target is a file path (anything ending in ``.yaml``/``.yml`` or an existing path) or the name
of a shipped preset (``pc_maker``); presets are reported under their file path. A file with
problems prints every problem found, each as ``file:line: message``: a YAML syntax error alone;
otherwise every shape error (unknown key, wrong type, bad duration …); or, once the shape is
right, every cross-reference error (unknown level, duplicate code, missing placeholder …). A file
without problems prints the ``ok`` line. The return value is the
process exit status: 1 when any target has a problem, else 0. With no targets every shipped
preset is checked.

``complaintdesk policy show`` is printed by ``complaintdesk/policy_show.py`` on the CLI side.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from complaintdesk.policy.load import LoadedPolicy, PolicyError, load_policy, preset_names, resolve
from complaintdesk.policy.schema import Policy

__all__ = ["check", "summary_line"]


def summary_line(policy: Policy) -> str:
    """``policy <id> <version>, N levels, M categories, K clocks``."""
    return (
        f"policy {policy.id} {policy.version}, {_count(len(policy.levels), 'level')}, "
        f"{_count(len(policy.categories), 'category', 'categories')}, "
        f"{_count(len(policy.clocks), 'clock')}"
    )


def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def _load(target: str) -> LoadedPolicy:
    return load_policy(resolve(target))


def check(targets: Sequence[str], out: TextIO) -> int:
    """Check every target; print its problems or its ``ok`` line; return 1 if any failed."""
    status = 0
    for target in list(targets) or preset_names():
        try:
            loaded = _load(target)
        except PolicyError as exc:
            status = 1
            for problem in exc.problems:
                out.write(f"{problem}\n")
            continue
        out.write(f"{loaded.source}: ok ({summary_line(loaded.policy)})\n")
    return status
