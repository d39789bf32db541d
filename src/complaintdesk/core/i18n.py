"""The language a page or answer is rendered in."""

from __future__ import annotations

from django.utils.translation import get_language


def current_language() -> str:
    """The active language code (zh-hans or en); Chinese when none is active."""
    return get_language() or "zh-hans"
