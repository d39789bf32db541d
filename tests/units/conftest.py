"""Fixtures for the unit scoping tests: :mod:`scopekit` (this directory) builds head office with
dealers A and B."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

_KIT = str(Path(__file__).resolve().parent)
if _KIT not in sys.path:
    sys.path.insert(0, _KIT)

from scopekit import Units, install_units  # noqa: E402


@pytest.fixture
def units(db: Any, settings: Any, tmp_path: Path) -> Units:
    settings.MEDIA_ROOT = str(tmp_path / "media")  # the rows' files are written there
    return install_units()


@pytest.fixture
def units_tx(org_tx: Any, settings: Any, tmp_path: Path) -> Units:
    """The same organisation for browser tests (committed, for the live server)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return install_units()
