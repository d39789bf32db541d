"""YAML → :class:`Policy`, with every problem reported as ``file:line: message``; the presets.

A policy file with errors never loads: :func:`load_policy` raises :class:`PolicyError` carrying the
list of problems, each with the line of the YAML node it concerns: every shape error found by
Pydantic or, when the shape is valid, every cross-reference error of
:func:`complaintdesk.policy.references.check_references`. The line of each node comes from
:mod:`complaintdesk.policy.yaml_lines`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from complaintdesk.policy.references import check_references
from complaintdesk.policy.schema import (
    Policy,
)
from complaintdesk.policy.yaml_lines import PathKey, UniqueKeyLoader, format_loc, line_for, line_map, present_prefix

PRESET_DIR = Path(__file__).resolve().parent / "presets"

@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class PolicyError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class LoadedPolicy:
    policy: Policy
    text: str
    sha256: str
    source: str


def parse_policy_text(text: str, source: str) -> Policy:
    """Parse and validate ``text``; raise :class:`PolicyError` listing every problem."""
    loader = UniqueKeyLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise PolicyError([Problem(source, line, f"YAML: {exc.problem or exc}")]) from exc
    except yaml.YAMLError as exc:  # e.g. a character YAML does not allow
        raise PolicyError([Problem(source, 1, f"YAML: {str(exc).splitlines()[0]}")]) from exc
    finally:
        loader.dispose()
    if node is None or not isinstance(data, dict):
        raise PolicyError([Problem(source, 1, "a policy file must be a YAML mapping")])
    lines: dict[PathKey, int] = {}
    line_map(node, (), lines)
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        problems = []
        merged: dict[tuple[int, str], list[str]] = {}
        for error in exc.errors(include_url=False):
            loc = [part for part in error["loc"] if not (isinstance(part, str) and part.startswith("function-"))]
            message = error["msg"].removeprefix("Value error, ")
            if error["type"] == "extra_forbidden":
                message = "unknown key (not part of the policy language)"
            elif error["type"] == "missing":
                message = "required key is missing"
            else:
                # drop what is not in the file (the member tags of a union such as Duration | 'long_term')
                loc = list(present_prefix(lines, loc))
            messages = merged.setdefault((line_for(lines, loc), format_loc(loc)), [])
            if message not in messages:
                messages.append(message)
        for (line, where), messages in merged.items():
            message = "; or ".join(messages)
            problems.append(Problem(source, line, f"{where}: {message}" if where else message))
        raise PolicyError(_by_line(problems)) from exc
    problems = [
        Problem(source, line_for(lines, loc), f"{format_loc(loc)}: {message}")
        for loc, message in check_references(policy)
    ]
    if problems:
        raise PolicyError(_by_line(problems))
    return policy


def _by_line(problems: list[Problem]) -> list[Problem]:
    """Problems in file order (stable: problems on one line keep the order they were found)."""
    return sorted(problems, key=lambda problem: problem.line)


def load_policy(path: str | Path) -> LoadedPolicy:
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError([Problem(str(file), 1, f"cannot read the file: {exc.strerror}")]) from exc
    policy = parse_policy_text(text, str(file))
    return LoadedPolicy(policy, text, hashlib.sha256(text.encode()).hexdigest(), str(file))


def preset_names() -> list[str]:
    return sorted(p.stem for p in PRESET_DIR.glob("*.yaml"))


def preset_path(name: str) -> Path:
    path = PRESET_DIR / f"{name}.yaml"
    if not path.exists():
        raise PolicyError([Problem(name, 1, f"no preset named {name!r}; presets: {', '.join(preset_names())}")])
    return path


def load_preset(name: str) -> LoadedPolicy:
    return load_policy(preset_path(name))


def resolve(name_or_path: str) -> Path:
    """A preset name or a file path."""
    candidate = Path(name_or_path)
    if candidate.suffix in {".yaml", ".yml"} or candidate.exists():
        return candidate
    return preset_path(name_or_path)
