"""`make demo` on a database made with an earlier copy of the preset says what to do instead of
failing with a traceback."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_an_earlier_copy_of_the_preset_is_explained(settings: Any, tmp_path: Any, capsys: Any,
                                                    monkeypatch: Any) -> None:
    from django.utils import timezone

    from complaintdesk import demo
    from complaintdesk.core.models import PolicyVersion
    from complaintdesk.policy.load import load_preset

    settings.VAR_DIR = tmp_path
    policy = load_preset("phone_maker").policy
    text = "# an earlier copy\n"
    PolicyVersion.objects.create(policy_id=policy.id, version=policy.version, text=text, source="old",
                                 sha256=hashlib.sha256(text.encode()).hexdigest(), installed_at=timezone.now())
    monkeypatch.setattr(demo, "prepare", demo.prepare_data)  # the test database is migrated already
    assert demo.run_demo(preset="phone_maker", serve=False) == 1
    err = capsys.readouterr().err
    assert "make clean" in err and "earlier copy" in err
