"""Shares :mod:`workkit` (tests/complaints) and :mod:`kbkit` (here) with this directory's tests."""

from __future__ import annotations

import sys
from pathlib import Path

_KIT = str(Path(__file__).resolve().parent.parent / "complaints")
_HERE = str(Path(__file__).resolve().parent)
for _path in (_KIT, _HERE):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from workkit import table_only  # noqa: E402

__all__ = ["table_only"]
