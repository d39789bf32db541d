"""Template helpers: dictionary lookup, policy text in the current language, dates in the
organisation's time zone."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from complaintdesk.core import i18n
from complaintdesk.core.durations import duration_text

register = template.Library()


@register.filter
def get(mapping: Any, key: str) -> Any:
    if mapping is None:
        return ""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return getattr(mapping, key, "")


@register.filter
def tr(text: Any) -> str:
    """A policy Text (zh/en) in the current language."""
    if text is None:
        return ""
    language = get_language() or "zh-hans"
    return str(text.get(language)) if hasattr(text, "get") else str(text)


@register.filter
def fid(name: str) -> str:
    """An HTML id for a field path: ``customer.phone`` → ``customer-phone``, ``flags[0]`` → ``flags-0``."""
    return str(name).replace(".", "-").replace("[", "-").replace("]", "")


@register.filter
def duration(value: Any) -> str:
    """A policy duration as people read it ("2 working days", "2个工作日")."""

    return duration_text(value)


@register.filter
def listed(items: Any) -> str:
    """Names as one list in the reader's language: "橙色（严重）、红色（重大）", "Orange (severe), Red (major)"."""
    return i18n.listed(str(item) for item in items or [])
