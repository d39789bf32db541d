"""Fixtures of the follow-up tests. The directory is put on ``sys.path`` so that the test modules
can share :mod:`followup_kit` under ``--import-mode=importlib``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from followup_kit import BASE, resolve  # noqa: E402


@pytest.fixture
def resolved(org: Any, registration: Any) -> Any:
    """resolved(**registration overrides) → a phone-maker complaint resolved at BASE + 1 h."""

    def make(at: Any = BASE, **overrides: Any) -> Any:
        return resolve(org, registration(**overrides), at=at)

    return make


