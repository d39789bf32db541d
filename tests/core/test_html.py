"""``core.html.format_html`` writes what Django's ``format_html`` writes, for every kind of value a
row passes: plain and safe strings, lazy translations, numbers, None, objects with ``__html__``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.utils import html as django_html
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from complaintdesk.core.html import escaped, format_html


class Marked:
    def __html__(self) -> str:
        return "<i>marked</i>"

    def __str__(self) -> str:
        return "<not this>"


VALUES: list[Any] = [
    "plain", "O'Brien & <script>alert(\"x\")</script>", "王晓梅", "", mark_safe("<b>safe</b>"),
    SafeString("&amp; already"), gettext_lazy("Overdue"), gettext_lazy("New complaints"), 42, 0, None, True,
    datetime(2026, 3, 2, 9, 30), Marked(), ["<list>"],
]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("value", VALUES)
def test_a_value_is_escaped_as_django_escapes_it(value: Any, language: str) -> None:
    with translation.override(language):
        assert escaped(value) == str(django_html.conditional_escape(value))
        template = '<span title="{}">{}</span>'
        ours = format_html(template, value, value)
        assert ours == django_html.format_html(template, value, value)
        assert isinstance(ours, SafeString)
