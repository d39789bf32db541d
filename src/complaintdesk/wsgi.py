"""WSGI entry point (gunicorn complaintdesk.wsgi)."""

import gc
import os
import sys
import types
from contextlib import suppress

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "complaintdesk.settings")


def _ninja_without_the_test_package() -> None:
    """Import django-ninja's settings without Django's test package. ``ninja.conf`` imports
    ``setting_changed`` from ``django.test.signals`` (it is ``django.core.signals``'s own), and
    importing any module of ``django.test`` runs its ``__init__``: the test client, the test cases,
    unittest — 6 MB in every web worker for a signal only tests send (docs/performance.md, "Worker
    memory"). ``ninja.conf`` is imported here against a stand-in for those two modules, which are then
    taken away again, so a later ``import django.test`` (none in a web worker) gets the real package.
    Should a release of ninja want more of ``django.test``, the stand-in fails, and ninja is imported
    the ordinary way."""
    if "ninja.conf" in sys.modules or "django.test" in sys.modules:
        return
    from django.core.signals import setting_changed

    package = types.ModuleType("django.test")
    package.__path__ = []  # a package, so that its submodule may be looked up in sys.modules
    signals = types.ModuleType("django.test.signals")
    signals.setting_changed = setting_changed  # type: ignore[attr-defined]
    sys.modules.update({"django.test": package, "django.test.signals": signals})
    try:
        with suppress(ImportError):
            import ninja.conf  # noqa: F401
    finally:
        for name, module in (("django.test.signals", signals), ("django.test", package)):
            if sys.modules.get(name) is module:
                del sys.modules[name]
    if "ninja.conf" not in sys.modules:  # the stand-in did not do
        for name in [name for name in sys.modules if name == "ninja" or name.startswith("ninja.")]:
            del sys.modules[name]


_ninja_without_the_test_package()
application = get_wsgi_application()
# Everything loaded so far lives as long as the process: it is moved out of the cyclic garbage
# collector's way. A full collection walked all of it in the middle of a request (100–150 ms in a
# monthly report at a million complaints, measured with gc.callbacks; docs/performance.md).
gc.freeze()
