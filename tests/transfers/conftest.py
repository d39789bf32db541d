"""Shares :mod:`workkit` (tests/complaints) with this directory."""

from __future__ import annotations

import sys
from pathlib import Path

_KIT = str(Path(__file__).resolve().parent.parent / "complaints")
if _KIT not in sys.path:
    sys.path.insert(0, _KIT)

from workkit import table_only  # noqa: E402

__all__ = ["table_only"]
