"""The dashboard's chart tables are rendered by one filter (``reports/templatetags/chart_tables.py``)
instead of the template loop cell by cell: the HTML must be exactly what that loop wrote, for every
chart of the dashboard in English and in Chinese, and for cells that need escaping or localising."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.template import engines
from django.utils import translation
from reportkit import NOW

from complaintdesk.reports.selectors.dashboard import dashboard, parse_filters
from complaintdesk.reports.templatetags.chart_tables import chart_rows

# The loop dashboard.html had until 2026-12-01.
OLD_LOOP = ('{% for row in rows %}<tr>{% for cell in row %}{% if forloop.first %}<th scope="row">{{ cell }}</th>'
            '{% else %}<td>{{ cell }}</td>{% endif %}{% endfor %}</tr>{% endfor %}')
NASTY = 'O\'Brien & <script>alert("x")</script>'


def old_render(rows: Any) -> str:
    return engines["django"].from_string(OLD_LOOP).render({"rows": rows})


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_dashboard_table_is_the_html_the_template_loop_wrote(dataset: Any, language: str) -> None:
    filters = parse_filters({"from": "2026-10-01", "to": "2026-12-31"}, dataset.org.policy, NOW)
    with translation.override(language):
        charts = dashboard(dataset.org.policy, filters, now=NOW, language=language)
        assert sum(len(chart["rows"]) for chart in charts) > 20  # the data set fills the tables
        for chart in charts:
            assert chart_rows(chart["rows"]) == old_render(chart["rows"]), chart["code"]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_cells_that_need_escaping_or_localising(language: str) -> None:
    rows = [[NASTY, 3, "12.5 %"], ["", 0, None], [Decimal("1234.50"), 2.5, -7], [], ("tuple", 1)]
    with translation.override(language):
        html = chart_rows(rows)
        assert html == old_render(rows)
    assert "<script>" not in html and "&lt;script&gt;" in html
