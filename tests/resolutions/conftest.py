"""Fixtures of the resolutions tests: the PC maker, hypermarket and IPTV organisations and API
clients for them. The directory is put on ``sys.path`` so that the test modules can share
:mod:`reskit` under ``--import-mode=importlib``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from reskit import api_for  # noqa: E402

from orgkit import install_org  # noqa: E402


@pytest.fixture
def pc(db: Any) -> Any:
    return install_org("pc_maker")


@pytest.fixture
def hyper(db: Any) -> Any:
    return install_org("hypermarket")


@pytest.fixture
def iptv(db: Any) -> Any:
    return install_org("iptv")


@pytest.fixture
def pc_api(pc: Any) -> Any:
    """pc_api("vp") → a JSON client of the PC-maker organisation, as that role."""

    def make(role: str = "specialist", language: str = "en") -> Any:
        return api_for(pc, role, language)

    return make


@pytest.fixture
def extra_user(db: Any) -> Any:
    """extra_user("vp2", "vp") → another active user with that role."""
    from complaintdesk.accounts.services import user_create
    from complaintdesk.policy.schema import Role

    def make(username: str, role: str) -> Any:
        return user_create(actor=None, username=username, password="correct-horse-battery", roles=[Role(role)],
                           first_name=username.title(), last_name="Test", language="en")

    return make
