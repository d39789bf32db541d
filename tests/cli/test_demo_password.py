"""The demo's password: one random password every demo user can have (the validators once refused a
draw as "too similar" to a user's name, and ``make demo`` stopped there)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import password_validation

from complaintdesk import demo
from complaintdesk.accounts.models import User


def test_a_draw_too_like_a_users_name_is_drawn_again(monkeypatch: Any, tmp_path: Path) -> None:
    monkeypatch.delenv("COMPLAINTDESK_DEMO_PASSWORD", raising=False)
    draws = iter(["specialist1234", "Zq8-wT3vK_p2Lr9x"])  # the first is refused for the user "specialist"
    monkeypatch.setattr(demo.secrets, "token_urlsafe", lambda _n: next(draws))
    assert demo.demo_password(tmp_path) == "Zq8-wT3vK_p2Lr9x"
    assert (tmp_path / "demo_password").read_text() == "Zq8-wT3vK_p2Lr9x"
    assert demo.demo_password(tmp_path) == "Zq8-wT3vK_p2Lr9x"  # kept for the next start


def test_every_demo_user_may_have_the_password(monkeypatch: Any, tmp_path: Path) -> None:
    monkeypatch.delenv("COMPLAINTDESK_DEMO_PASSWORD", raising=False)
    for attempt in range(50):
        (tmp_path / str(attempt)).mkdir()
        password = demo.demo_password(tmp_path / str(attempt))
        assert len(password) == 16
        for username, _role, _zh, en in demo.DEMO_USERS:
            first, _sep, last = en.partition(" ")
            password_validation.validate_password(password, user=User(username=username, first_name=first,
                                                                         last_name=last))
