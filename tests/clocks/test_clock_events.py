"""Each event the policy core lists as emitted (policy/events.py) is emitted by a service: the
event is passed to the clock engine from the services of an app."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import complaintdesk
from complaintdesk.policy.events import EMITTED_BY
from complaintdesk.policy.schema import ClockEvent

SOURCE = Path(complaintdesk.__file__).parent


def service_sources() -> dict[Path, str]:
    files = [*SOURCE.glob("*/services.py"), *SOURCE.glob("*/services/*.py")]
    return {path: path.read_text(encoding="utf-8") for path in files}


@pytest.mark.parametrize("event", sorted(EMITTED_BY, key=lambda e: e.value), ids=lambda e: e.value)
def test_the_event_is_emitted_by_a_service(event: ClockEvent) -> None:
    pattern = re.compile(rf"\bClockEvent\.{event.name}\b")
    emitters = [path.relative_to(SOURCE).as_posix() for path, text in service_sources().items()
                if path.name != "services.py" or path.parent.name != "clocks"
                if pattern.search(text)]
    assert emitters, f"{event.value} is listed as emitted but no service emits it"
