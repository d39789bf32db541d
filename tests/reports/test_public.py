"""The public results page: only for a policy that publishes results (the scenic area), only for
finished months, anonymised counts in both languages, no personal data."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from reportkit import SHANGHAI, make_complaint

from complaintdesk.reports.periods import month_of
from orgkit import install_org


def test_published_for_the_scenic_area_without_personal_data(db: Any, client: Any) -> None:
    org = install_org("scenic_area")
    last = month_of(timezone.now(), SHANGHAI).previous()
    for index, category in enumerate(["tickets_prices", "tickets_prices", "staff_service"]):
        make_complaint(org, f"SA-{index}", last.start + timedelta(days=2, hours=index), category=category,
                       channel="window", level="general", targets=["staff"], model=None)
    make_complaint(org, "SA-THIS", timezone.now() - timedelta(minutes=5), category="safety", channel="window",
                   level="general", targets=["staff"], model=None)
    response = client.get("/portal/results/?lang=en")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Complaint handling results {last.code}" in html
    assert ">Complaints received</th><td class=\"text-end\">3<" in html
    label = org.policy.category("tickets_prices").label.en
    assert f"<td>{label}</td><td class=\"text-end\">2</td>" in html
    for private in ("SA-0", "Test", "SA-THIS"):
        assert private not in html
    assert "投诉处理结果公示" in client.get("/portal/results/?lang=zh-hans").content.decode()
    this_month = month_of(timezone.now(), SHANGHAI).code
    refused = client.get(f"/portal/results/?month={this_month}&lang=en")
    assert refused.status_code == 422 and "once the month is over" in refused.content.decode()
    assert client.get("/portal/results/?month=2026-13&lang=en").status_code == 422


def test_not_published_without_a_publication_rule(org: Any, client: Any) -> None:
    assert org.policy.publication is None
    assert client.get("/portal/results/").status_code == 404
