"""Fixtures of the report tests. The directory is put on ``sys.path`` so that the test modules
can share :mod:`reportkit` under ``--import-mode=importlib``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from orgkit import Org, install_org

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)


@pytest.fixture
def org(db: Any) -> Org:
    """The PC maker's policy: it has a monthly budget, cost kinds and a three-level root cause."""
    return install_org("pc_maker")


@pytest.fixture
def pc_org(org: Org) -> Org:
    return org


@pytest.fixture
def dataset(pc_org: Org) -> Any:
    from reportkit import build

    return build(pc_org)


@pytest.fixture
def org_tx(transactional_db: Any) -> Org:
    """The browser tests' organisation (``page_for`` logs in its users): the PC maker's too."""
    return install_org("pc_maker")
