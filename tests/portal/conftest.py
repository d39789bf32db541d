"""Fixtures of the portal tests. The directory is put on ``sys.path`` so that the test modules can
share :mod:`portalkit` (and :mod:`workkit` of tests/complaints) under ``--import-mode=importlib``."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

_HERE = os.path.dirname(__file__)
# portalkit here, and workkit (tests/complaints) for registrations valid under any preset
for _kit in (_HERE, os.path.join(os.path.dirname(_HERE), "complaints")):
    if _kit not in sys.path:
        sys.path.insert(0, _kit)


@pytest.fixture(autouse=True)
def _portal_settings(settings: Any, tmp_path: Path) -> Iterator[None]:
    """Files under a temporary attachment directory; a fresh cache per test."""
    from django.core.cache import cache

    settings.COMPLAINTDESK_ATTACHMENT_DIR = tmp_path / "attachments"
    cache.clear()
    yield
    cache.clear()
