"""What a server process leaves out of memory before Django is set up.

``ninja.conf`` (django-ninja's settings) imports ``setting_changed`` from ``django.test.signals`` —
it is ``django.core.signals``'s own — and importing any module of ``django.test`` runs that
package's ``__init__``: the test client, the test cases, unittest, 6 MB in every web worker and task
worker for a signal only tests send (docs/performance.md, "Worker memory"). Called by the WSGI
module and by the command line before ``django.setup()`` (which imports ninja through the apps),
``ninja_without_the_test_package`` imports ``ninja.conf`` against a stand-in for those two modules
and then takes the stand-in away, so that a later ``import django.test`` (none in a server) gets the
real package. Should a release of ninja want more of ``django.test``, the stand-in fails and ninja
is left to be imported the ordinary way."""

from __future__ import annotations

import sys
import types
from contextlib import suppress


def ninja_without_the_test_package() -> None:
    """Import ``ninja.conf`` without ``django/test/__init__.py`` (nothing when either is loaded)."""
    if "ninja.conf" in sys.modules or "django.test" in sys.modules:
        return
    from django.core.signals import setting_changed

    package = types.ModuleType("django.test")
    package.__path__ = []  # a package, so that its submodule is looked up in sys.modules
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
    if "ninja.conf" not in sys.modules:  # the stand-in did not do: forget what ninja half-loaded
        for name in [name for name in sys.modules if name == "ninja" or name.startswith("ninja.")]:
            del sys.modules[name]
