"""The language a page or answer is rendered in."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import get_language


def current_language() -> str:
    """The active language code (zh-hans or en); Chinese when none is active."""
    return get_language() or "zh-hans"


def listed(items: Iterable[str], language: str | None = None) -> str:
    """Items as one list in the reader's language (default: the active one): "电话、型号" in Chinese,
    "Phone, Model" in English."""
    separator = "、" if (language or current_language()).lower().startswith("zh") else ", "
    return separator.join(items)
