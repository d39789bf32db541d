"""The WSGI entry point moves what the process loaded at start out of the garbage collector's way."""

from __future__ import annotations

import gc
import importlib
import os
import subprocess
import sys
from pathlib import Path


def test_the_wsgi_module_freezes_what_it_loaded(db: object) -> None:
    gc.unfreeze()
    sys.modules.pop("complaintdesk.wsgi", None)
    try:
        module = importlib.import_module("complaintdesk.wsgi")
        assert gc.get_freeze_count() > 10_000  # Django, the apps and the policy code
        assert callable(module.application)
    finally:
        gc.unfreeze()


def test_a_web_worker_starts_without_the_heavy_file_writers() -> None:
    """openpyxl (18 MB) and ReportLab (17 MB) load with the first workbook or letter, not in every
    web worker at start (docs/performance.md, "Worker memory")."""
    code = (
        "import django\n"
        "django.setup()\n"
        + EVERY_URL
        + "import complaintdesk.wsgi\n"
        + not_loaded("openpyxl", "reportlab", "lxml")
    )
    result = in_a_fresh_process(code)
    assert result.returncode == 0, result.stderr[-2000:]


def test_a_web_worker_loads_neither_the_test_package_nor_pillow() -> None:
    """django-ninja's settings are imported without running django/test/__init__.py (6 MB of test
    client and unittest), and Pillow loads with the first image: a web worker that loaded every URL
    has neither; ninja's settings work, and a later ``import django.test`` gets the real package."""
    code = (
        "import complaintdesk.wsgi\n"
        + EVERY_URL
        + not_loaded("django.test", "django.test.signals", "unittest", "PIL")
        + "from ninja.conf import settings\n"
        "assert settings.PAGINATION_PER_PAGE > 0\n"
        "import django.test\n"
        "from django.test.signals import setting_changed\n"
        "from django.core import signals\n"
        "assert setting_changed is signals.setting_changed and django.test.TestCase and django.test.Client\n"
        "from complaintdesk.portal.uploads import _image_ok\n"
        "assert not _image_ok(b'not an image') and 'PIL' in sys.modules\n"
    )
    result = in_a_fresh_process(code)
    assert result.returncode == 0, result.stderr[-2000:]


def test_the_command_line_sets_django_up_without_the_test_package() -> None:
    """``complaintdesk serve``, ``demo`` and ``worker`` set Django up through the command line, whose
    apps import ninja: the stand-in is used there too (core/lean.py), before ``django.setup()``."""
    result = in_a_fresh_process(
        "from complaintdesk import cli\n"
        "cli._django()\n"
        + EVERY_URL
        + not_loaded("django.test", "unittest")
        + "assert 'ninja.conf' in sys.modules\n"
    )
    assert result.returncode == 0, result.stderr[-2000:]


# a web worker's modules once every URL of the project is loaded
EVERY_URL = "from django.urls import get_resolver\nget_resolver().url_patterns\n"


def not_loaded(*modules: str) -> str:
    """Code asserting that none of ``modules`` is loaded in the process."""
    return f"import sys\nloaded = sorted(m for m in {modules!r} if m in sys.modules)\nassert not loaded, loaded\n"


def in_a_fresh_process(code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a new interpreter with the project's settings (its own assertions decide the
    exit status)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "complaintdesk.settings",
           "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
