"""Message rules: filling a policy message template and writing a moment in the reader's
language. Pure."""

from __future__ import annotations

from datetime import datetime


def render_message(template: str, **values: object) -> str:
    """Fill a message template; unknown placeholders are left as they are."""

    class _Keep(dict[str, object]):
        def __missing__(self, key: str) -> str:
            return "{" + key + "}"

    return template.format_map(_Keep(values))


def format_moment(moment: datetime, language: str) -> str:
    if language.lower().startswith("zh"):
        return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"
    return moment.strftime("%Y-%m-%d %H:%M")
