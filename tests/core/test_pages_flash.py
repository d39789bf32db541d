"""core/pages.py: every staff page that handles a POST ends with a banner saying what happened.

The URL resolver is walked, so a new page cannot be forgotten: each staff view that takes a POST must
pass a ``success=`` text to ``run_service``/``call_service`` (whose failures already go to the error
banner) or write ``messages.success`` itself. The few that answer in place are named below with why.
What the banners read, in both languages, is checked in tests/complaints/test_views_action_banners.py
and in the browser (tests/browser/test_browser_flash.py).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

# public pages (no staff, no banner: the customer's pages have their own confirmations)
PUBLIC_MODULES = ("complaintdesk.portal.", "complaintdesk.followup.views.survey")

# staff views that take a POST and answer in place, without a banner
ANSWER_IN_PLACE = {
    "complaint-register-preview": "htmx: the live preview of the registration form; writes nothing",
    "plan-preview": "htmx: the live check of the plan form (route and budget); writes nothing",
    "complaint-reveal": "htmx: the contact data shown unmasked in place (the reveal is audited)",
    "complaint-register": "the new complaint's page opens with its own 'registered' banner",
    "import": "the import's result (counts, refused rows) is the page it answers with",
    "transfer-register": "the new complaint's page opens with its own 'registered' banner, as registration's",
    "privacy-search": "the privacy page shows what is held about the person found: the answer is the page",
    "privacy-export": "answers with the export file itself (JSON or Excel), downloaded in place",
}

POST_MARKS = ("require_POST", "request.POST", '"POST"')
SUCCESS_MARKS = re.compile(r"success=|messages\.success\(")


def _patterns(resolvers: list[Any], prefix: str = "") -> Iterator[tuple[str, str, Callable[..., Any]]]:
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name or "", entry.callback


def staff_post_views() -> dict[str, tuple[str, str]]:
    """URL name → (route, source of the view) for every staff view that handles a POST."""
    out: dict[str, tuple[str, str]] = {}
    for route, name, callback in _patterns(get_resolver().url_patterns):
        view = inspect.unwrap(callback)
        module = getattr(view, "__module__", "")
        if not module.startswith("complaintdesk.") or module.startswith(PUBLIC_MODULES):
            continue
        source = inspect.getsource(view)
        if any(mark in source for mark in POST_MARKS):
            out[name or route] = (route, source)
    return out


def test_the_walk_finds_the_staff_pages_that_take_a_post() -> None:
    views = staff_post_views()
    # a sample of every app's pages, so the walk cannot silently find nothing
    for name in ("complaint-act", "complaint-work-order", "plan-proposed", "approval-decide", "legal-advise",
                 "return-visit-record", "judgement-record", "complaint-contact", "complaint-bulk", "saved-view-save",
                 "quality-alert-close", "units", "profile", "notices-read-all", "complaint-amend", "transfer-record",
                 "petty-cash-pay", "complaint-progress", "delegation-create", "appeal-review"):
        assert name in views, name
    assert len(views) >= 35


def test_every_staff_post_ends_with_a_success_banner() -> None:
    missing = [f"{name} ({route})" for name, (route, source) in staff_post_views().items()
               if name not in ANSWER_IN_PLACE and not SUCCESS_MARKS.search(source)]
    assert missing == []


def test_the_pages_that_answer_in_place_still_exist_and_take_a_post() -> None:
    assert set(ANSWER_IN_PLACE) <= set(staff_post_views())
