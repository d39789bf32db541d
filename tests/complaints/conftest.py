"""Fixtures for the complaints tests; :mod:`workkit` (this directory) is shared with tests/clocks."""

from __future__ import annotations

import sys
from pathlib import Path

_KIT = str(Path(__file__).resolve().parent)
if _KIT not in sys.path:
    sys.path.insert(0, _KIT)

from workkit import table_only  # noqa: E402

__all__ = ["table_only"]
