"""Every page a role reaches, in both languages, reads as text for people: no internal codes
("work_order:3", "build_number", "flag:…"), no "None", no policy short forms such as "2wd".

The demo organisation is loaded (complaints at every stage); each role's pages are crawled from its
landing page by following the links it is shown (GET only), as a new user clicking around would."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo-crawl")]

ROLES = ("agent", "specialist", "handler", "supervisor", "cs_head", "admin")
PAGES_PER_ROLE = 45
RAW = [
    (re.compile(r"\bNone\b"), "None"),
    (re.compile(r"\bflag:\w+"), "a flag code"),
    (re.compile(r"\(\w+:\d+\)"), "an internal object id"),
    (re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b"), "a snake_case code"),
    (re.compile(r"\b\d+(?:wd|wh|wm|mo)\b"), "a policy duration's short form"),
]
# pages that show codes on purpose: the import page documents the field paths a column maps to
SKIP = re.compile(r"logout|/admin/|\.xlsx|\.pdf|\.csv|/export|/download|/api/|/static/|/files/|/reveal|/letters/"
                  r"|/integrations/import")


def _text(body: str) -> str:
    body = re.sub(r"(?s)<(script|style|textarea)[^>]*>.*?</\1>", " ", body)
    body = re.sub(r"(?s)<!--.*?-->", " ", body)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def _crawl(client: Any, usernames: set[str]) -> list[str]:
    found: list[str] = []
    seen: set[str] = set()
    queue = ["/"]
    while queue and len(seen) < PAGES_PER_ROLE:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        body = response.content.decode()
        text = _text(body)
        for pattern, what in RAW:
            for match in pattern.finditer(text):
                if match.group(0) in usernames:  # a person's username beside their name is not a code
                    continue
                around = " ".join(text[max(0, match.start() - 50):match.end() + 30].split())
                found.append(f"{url}: {what} {match.group(0)!r} in “{around}”")
        for href in re.findall(r'href="(/[^"#]*)"', body):
            href = html.unescape(href)
            if not SKIP.search(href) and href not in seen:
                queue.append(href)
    return found


def test_no_page_shows_raw_codes(settings: Any, tmp_path: Any) -> None:
    from django.test import Client

    from complaintdesk import demo
    from complaintdesk.accounts.models import User

    settings.VAR_DIR = tmp_path
    demo.prepare_data("phone_maker")
    usernames = set(User.objects.values_list("username", flat=True))
    problems: list[str] = []
    for role in ROLES:
        for language in ("zh-hans", "en"):
            User.objects.filter(username=role).update(language=language)
            client = Client(HTTP_ACCEPT_LANGUAGE=language)
            client.cookies["django_language"] = language
            client.force_login(User.objects.get(username=role))
            problems += [f"{role}/{language} {p}" for p in _crawl(client, usernames)]
    assert problems == [], "\n".join(sorted(set(problems))[:40])
