"""Property-based tests of the whole REST API from its own OpenAPI document (schemathesis): no
request, however malformed, gets a server error, and every answer has a documented status code and
matches the documented shape."""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

pytestmark = pytest.mark.django_db

# public survey endpoints and CSRF-free notice marking are covered by their own tests
SKIP = ("/api/v1/surveys/",)


def operations() -> list[Any]:
    from complaintdesk.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    out = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith(SKIP):
            out.append(operation)
    return out


def test_no_request_gets_a_server_error(org: Any, registration: Any) -> None:
    from complaintdesk.accounts.services import token_create
    from complaintdesk.complaints.schemas import ComplaintIn
    from complaintdesk.complaints.services import complaint_register

    complaint_register(actor=org["specialist"], data=ComplaintIn(**registration()).to_input())
    _token, clear = token_create(actor=None, username="specialist")
    checked = 0
    # as Django's own test client does: a request must not close the test's database connection
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        checked = _check_all(clear)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert checked >= 10


# examples per operation; COMPLAINTDESK_FUZZ_EXAMPLES=200 for a longer run (the count is printed)
EXAMPLES = int(os.environ.get("COMPLAINTDESK_FUZZ_EXAMPLES", "8"))


def _check_all(clear: str) -> int:
    checked = 0
    cases = 0
    for operation in operations():

        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            nonlocal cases
            cases += 1
            case.call_and_validate(headers={"Authorization": f"Bearer {clear}"},
                                   checks=[not_a_server_error, status_code_conformance, response_schema_conformance])

        run()
        checked += 1
    print(f"schemathesis: {cases} cases over {checked} operations, no server error")
    return checked
