"""Accessibility: axe-core (vendored in tests/browser/vendor) finds no serious or critical violation on the
pages each role works on, in both languages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
ROLES = ["agent", "specialist", "handler", "supervisor", "cs_head"]


def violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"][:3]]}
        for v in result if v["impact"] in {"serious", "critical"}
    ]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_main_pages_have_no_serious_violation(page_for: Any, org_tx: Any, registration: Any, language: str) -> None:
    from complaintdesk.complaints.schemas import ComplaintIn
    from complaintdesk.complaints.services import complaint_register

    complaint = complaint_register(actor=org_tx["agent"], data=ComplaintIn(**registration()).to_input())
    found: dict[str, list[dict[str, Any]]] = {}
    for role in ROLES:
        page = page_for(role, language)
        links = page.eval_on_selector_all("nav a.nav-link", "els => els.map(e => e.getAttribute('href'))")
        urls = {link for link in links if link and link.startswith("/") and not link.startswith("/admin")}
        urls.add(f"/complaints/{complaint.number}/")
        for url in sorted(urls):
            page.goto(f"{page.base_url}{url}")
            problems = violations(page)
            if problems:
                found[f"{role} {url}"] = problems
        page.context.close()
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)
