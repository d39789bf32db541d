"""The policy tests are pure Python: they run without Django (``-p no:django``).

``tests/conftest.py`` defines autouse fixtures for the Django suites; the two below override them
by name for this directory so that nothing here needs Django settings. The directory is put on
``sys.path`` so that the test modules can share :mod:`policy_testkit` under ``--import-mode=importlib``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)


@pytest.fixture(autouse=True)
def _fast_passwords() -> None:
    """Nothing to configure for pure tests (overrides the Django fixture of the same name)."""


@pytest.fixture(autouse=True)
def _english_by_default() -> None:
    """Nothing to translate for pure tests (overrides the Django fixture of the same name)."""
