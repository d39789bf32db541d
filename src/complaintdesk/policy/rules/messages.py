"""Message rules: filling a policy message template and writing a moment in the reader's
language. Pure."""

from __future__ import annotations

from datetime import datetime, timedelta


def render_message(template: str, **values: object) -> str:
    """Fill a message template; unknown placeholders are left as they are."""

    class _Keep(dict[str, object]):
        def __missing__(self, key: str) -> str:
            return "{" + key + "}"

    return template.format_map(_Keep(values))


def format_moment(moment: datetime, language: str) -> str:
    """A moment for people; midnight is written as 24:00 of the day before (a period of days ends at
    24:00 of its last day)."""
    if (moment.hour, moment.minute, moment.second, moment.microsecond) == (0, 0, 0, 0):
        day = moment - timedelta(days=1)
        if language.lower().startswith("zh"):
            return f"{day.year}年{day.month}月{day.day}日 24:00"
        return f"{day:%Y-%m-%d} 24:00"
    if language.lower().startswith("zh"):
        return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"
    return moment.strftime("%Y-%m-%d %H:%M")
