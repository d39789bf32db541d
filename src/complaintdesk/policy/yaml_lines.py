"""Reading a policy file as YAML with the line of every node: a safe loader that refuses duplicate
keys, the map from a node's path to its line, and the path written as in the file
(``clocks[2].duration``). Pure."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import yaml

PathKey = tuple[str | int, ...]


# --- YAML with line numbers ------------------------------------------------------------------


_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class UniqueKeyLoader(_SafeLoader):  # type: ignore[valid-type, misc, unused-ignore]
    """A safe loader (libyaml's when available) that refuses duplicate keys (a silently
    overwritten rule is a bug)."""


def _construct_mapping(loader: UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: dict[Any, int] = {}
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call, unused-ignore]
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"duplicate key {key!r} (first on line {seen[key]})",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node, deep=deep)


UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,  # type: ignore[arg-type, unused-ignore]
)


def line_map(node: yaml.Node, path: PathKey, lines: dict[PathKey, int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            lines[(*path, key)] = key_node.start_mark.line + 1
            line_map(value_node, (*path, key), lines)
            # point at the key's own line rather than the value's for scalars
            lines[(*path, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            line_map(item, (*path, index), lines)


def line_for(lines: dict[PathKey, int], loc: Iterable[str | int]) -> int:
    path = tuple(loc)
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get((), 1)


def present_prefix(lines: dict[PathKey, int], loc: Iterable[str | int]) -> PathKey:
    """The longest prefix of ``loc`` that names a node of the file."""
    path = tuple(loc)
    while path and path not in lines:
        path = path[:-1]
    return path


def format_loc(loc: Iterable[str | int]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
