"""Unit policies within head office's rules: the paths a policy marks ``fixed`` and whether a unit's
own policy keeps them, equal or stricter. Pure.

A fixed path is dotted: field names of the policy schema; a list of coded items (clocks, levels,
categories …) is entered by the item's code, any other list by its index (``clocks.escalate_to_hq.duration``,
``approval.limits``, ``approval.limits.0.up_to``, ``petty_cash.limit``). A path may end at a whole
section: every value inside it is then compared.

Stricter, where strictness is defined: a shorter duration of the same unit and form, a lower amount
of money, a smaller number for a limit (``up_to``, ``limit``, ``…_limit``; an ``up_to`` left empty is
no upper bound). A coded item of the inherited policy must be kept (the unit may add its own); a
list without codes keeps its length. Anything else must stay equal.
"""

from __future__ import annotations

import json
import types
import typing
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel

from complaintdesk.policy.schema import Duration, Policy

Verdict = Literal["equal", "stricter", "looser", "different"]


class _Missing:
    """What a path names in a policy that does not have it."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
LIMIT_NAMES = frozenset({"up_to", "limit"})


@dataclass(frozen=True)
class Loosening:
    """A fixed rule the unit's policy does not keep: the path, the inherited and the unit's value (as
    text), and whether the unit's value is looser or merely different (where no order is defined)."""

    path: str
    inherited: str
    own: str
    verdict: Verdict


# --- paths ------------------------------------------------------------------------------------


def _unwrap(annotation: Any) -> tuple[bool, type[BaseModel] | None]:
    """(is a list, the model inside) of a field's annotation; (False, None) for a plain value."""
    origin = typing.get_origin(annotation)
    if origin in (list, tuple):
        args = [arg for arg in typing.get_args(annotation) if arg is not Ellipsis]
        return True, _unwrap(args[0])[1] if args else None
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _unwrap(arg)
            if found != (False, None):
                return found
        return False, None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return False, annotation
    return False, None


def path_in_schema(path: str, model: type[BaseModel] = Policy) -> bool:
    """Whether ``path`` names a field of the schema (codes and indexes of lists are not checked
    here: they name items of one policy)."""
    segments = path.split(".")
    if not path or any(not segment for segment in segments):
        return False
    current: type[BaseModel] | None = model
    in_list = False
    for segment in segments:
        if in_list:
            in_list = False
            continue
        if current is None or segment not in current.model_fields:
            return False
        in_list, current = _unwrap(current.model_fields[segment].annotation)
    return True


def _step(value: Any, segment: str) -> Any:
    if value is None or value is MISSING:
        return MISSING
    if isinstance(value, BaseModel):
        return getattr(value, segment) if segment in type(value).model_fields else MISSING
    if isinstance(value, list):
        if segment.isdigit():
            index = int(segment)
            return value[index] if index < len(value) else MISSING
        return next((item for item in value if getattr(item, "code", None) == segment), MISSING)
    if isinstance(value, dict):
        return value.get(segment, MISSING)
    return MISSING


def value_at(policy: Policy, path: str) -> Any:
    """The value ``path`` names in ``policy``; MISSING when the policy does not have it."""
    value: Any = policy
    for segment in path.split("."):
        value = _step(value, segment)
    return value


# --- comparison -------------------------------------------------------------------------------


def _show(value: Any) -> str:
    if value is MISSING:
        return "—"
    if value is None:
        return "none"
    if isinstance(value, Duration):
        return str(value)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, BaseModel | list):
        dumped = value.model_dump(mode="json", exclude_none=True) if isinstance(value, BaseModel) else [
            item.model_dump(mode="json", exclude_none=True) if isinstance(item, BaseModel) else item for item in value]
        return json.dumps(dumped, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


def _order(inherited: Any, own: Any) -> Verdict:
    if own < inherited:
        return "stricter"
    return "looser" if own > inherited else "equal"


def _is_limit(name: str) -> bool:
    return name in LIMIT_NAMES or name.endswith("_limit")


def compare(inherited: Any, own: Any, name: str = "") -> Verdict:
    """How the unit's value ``own`` stands to the inherited one at a field called ``name`` (scalars
    and durations; see :func:`loosenings` for sections and lists)."""
    if own is MISSING and inherited is not MISSING:
        return "looser"
    if inherited is None or own is None:
        if inherited is None and own is None:
            return "equal"
        if name == "up_to":  # no upper bound
            return "stricter" if inherited is None else "looser"
        return "looser" if own is None else "different"
    if isinstance(inherited, Duration) and isinstance(own, Duration):
        if own == inherited:
            return "equal"
        same_form = (own.unit == inherited.unit and own.same_day_until == inherited.same_day_until
                     and own.monthly_on is None and inherited.monthly_on is None)
        return _order(inherited.amount, own.amount) if same_form else "different"
    if isinstance(inherited, bool) or isinstance(own, bool):
        return "equal" if own == inherited else "different"
    if isinstance(inherited, Decimal | int | float) and isinstance(own, Decimal | int | float):
        if isinstance(inherited, Decimal) or isinstance(own, Decimal) or _is_limit(name):
            return _order(Decimal(str(inherited)), Decimal(str(own)))
        return "equal" if own == inherited else "different"
    return "equal" if own == inherited else "different"


def _walk(inherited: Any, own: Any, path: str, name: str) -> list[Loosening]:
    if isinstance(inherited, BaseModel) and not isinstance(inherited, Duration):
        if not isinstance(own, type(inherited)):
            return [Loosening(path, _show(inherited), _show(own), "looser" if own in (None, MISSING) else "different")]
        out: list[Loosening] = []
        for field in type(inherited).model_fields:
            out += _walk(getattr(inherited, field), getattr(own, field), f"{path}.{field}", field)
        return out
    if isinstance(inherited, list):
        if not isinstance(own, list):
            return [Loosening(path, _show(inherited), _show(own), "looser")]
        coded = all(isinstance(getattr(item, "code", None), str) for item in inherited) and inherited
        if coded:
            out = []
            for item in inherited:
                match = next((mine for mine in own if getattr(mine, "code", None) == item.code), MISSING)
                out += _walk(item, match, f"{path}.{item.code}", "")
            return out
        if len(own) != len(inherited):
            return [Loosening(path, _show(inherited), _show(own), "different")]
        out = []
        for index, (theirs, mine) in enumerate(zip(inherited, own, strict=True)):
            out += _walk(theirs, mine, f"{path}.{index}", name)
        return out
    verdict = compare(inherited, own, name)
    if verdict in ("equal", "stricter"):
        return []
    return [Loosening(path, _show(inherited), _show(own), verdict)]


def loosenings(inherited: Policy, own: Policy) -> list[Loosening]:
    """Every fixed rule of ``inherited`` that ``own`` (a unit's policy) loosens or changes where no
    order is defined; also each fixed path ``own`` no longer marks fixed (the units below it would be
    free of it). Empty when the unit's policy stays within the inherited rules."""
    out: list[Loosening] = []
    for path in inherited.fixed:
        name = path.rsplit(".", 1)[-1]
        out += _walk(value_at(inherited, path), value_at(own, path), path, name)
        if path not in own.fixed:
            out.append(Loosening("fixed", path, "—", "looser"))
    return out
