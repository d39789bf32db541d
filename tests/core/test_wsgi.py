"""The WSGI entry point moves what the process loaded at start out of the garbage collector's way."""

from __future__ import annotations

import gc
import importlib
import sys


def test_the_wsgi_module_freezes_what_it_loaded(db: object) -> None:
    gc.unfreeze()
    sys.modules.pop("complaintdesk.wsgi", None)
    try:
        module = importlib.import_module("complaintdesk.wsgi")
        assert gc.get_freeze_count() > 10_000  # Django, the apps and the policy code
        assert callable(module.application)
    finally:
        gc.unfreeze()
