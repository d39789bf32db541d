"""The dashboard in a real Chromium: every chart is drawn by ECharts in both languages with the test
data, and a screenshot of each chart shows that it is not empty."""

from __future__ import annotations

from typing import Any

import pytest
from pngcheck import ink
from reportkit import build

pytestmark = pytest.mark.browser
CHARTS = ("trend", "on_time", "satisfaction", "pareto", "cost", "open_age", "departments")


@pytest.mark.parametrize(("language", "heading"), [("en", "Dashboard"), ("zh-hans", "仪表盘")])
def test_every_chart_renders_with_data(page_for: Any, org_tx: Any, language: str, heading: str) -> None:
    build(org_tx)
    page = page_for("vp", language)
    page.goto(f"{page.base_url}/")
    assert page.url.endswith("/dashboard/")  # the vice president lands on the dashboard
    page.goto(f"{page.base_url}/dashboard/?from=2026-10-01&to=2026-12-31")
    page.wait_for_selector("body[data-dashboard-ready='1']")
    assert page.inner_text("[data-testid=dashboard-title]") == heading
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    for code in CHARTS:
        chart = page.locator(f"[data-testid=chart-{code}]")
        assert chart.get_attribute("data-rendered") == "1", code
        assert chart.locator("canvas").count() >= 1, code
        share, colours = ink(chart.screenshot())
        assert share > 0.02 and colours > 8, (code, share, colours)
        # the same figures as a table, for screen readers and export
        assert page.locator(f"[data-testid=table-{code}] tbody tr").count() >= 1, code
    assert not errors
    if language == "zh-hans":
        assert "每周投诉数" in page.inner_text("#title-trend")
