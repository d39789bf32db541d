"""HTML fragments for the rows of long lists: Django's ``format_html`` without its per-value costs.

``django.utils.html.format_html`` escapes each value through ``conditional_escape`` and ``escape``,
whose ``keep_lazy`` wrapper inspects every argument for lazy strings on every call; a queue page
escapes about a thousand values. :func:`format_html` here escapes the same way (safe HTML as it is,
anything else through ``html.escape``, as ``escape`` does) and writes the same text
(tests/core/test_html.py compares them)."""

from __future__ import annotations

import html
from typing import Any

from django.utils.functional import Promise
from django.utils.safestring import SafeString


def escaped(value: Any) -> str:
    """``conditional_escape(value)`` as a plain string."""
    if type(value) is str:
        return html.escape(value)
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def format_html(format_string: str, *args: Any) -> SafeString:
    """``django.utils.html.format_html(format_string, *args)``: every argument escaped unless it is
    safe HTML, the result safe."""
    return SafeString(format_string.format(*map(escaped, args)))
