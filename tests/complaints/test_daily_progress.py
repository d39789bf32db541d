"""Daily progress (000 §1.4: "update the handling record every day, or a note why not"): dated
entries of what was verified, done and next, with proof; each working day without one is flagged
by the daily-update clock."""

from __future__ import annotations

import struct
import zlib
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from workkit import at, bring_to, notices, register, state_of

from complaintdesk.clocks.models import Clock
from complaintdesk.clocks.sweep import sweep
from complaintdesk.complaints.models import Attachment, Complaint, ProgressEntry
from complaintdesk.complaints.services.work import ProgressInput, progress_add
from complaintdesk.core.audit import seal_text
from complaintdesk.core.errors import Conflict, PermissionDenied, ValidationFailed
from complaintdesk.core.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("table_only")]


def png_bytes() -> bytes:
    """A real 1×1 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")


def problems_of(exc: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, str]:
    return {p.field: str(p.message) for p in exc.value.problems}


@pytest.fixture
def handled(org: Any) -> Any:
    """Accepted Monday 2026-06-08 10:00 by the specialist and in progress."""
    return bring_to(org, register(org["agent"], when=at("2026-06-08 09:30")), "in_progress",
                    now=at("2026-06-08 10:00"))


def add(org: Any, complaint: Any, now: str = "2026-06-08 17:00", **fields: Any) -> ProgressEntry:
    return progress_add(actor=org["specialist"], number=complaint.number, data=ProgressInput(**fields), now=at(now))


def test_an_entry_records_verification_work_and_next_step(org: Any, handled: Any) -> None:
    entry = add(org, handled, verified="Called the SC: the repair took 15 days as the customer says",
                description_true=True, done="Asked the SC for a loan phone", next_step="Call the customer tomorrow")
    assert entry.day == date(2026, 6, 8) and entry.author == org["specialist"]
    assert entry.description_true is True and entry.next_step == "Call the customer tomorrow"
    done = AuditEvent.objects.get(action="complaint.progress").after["done"]
    assert done == seal_text("Asked the SC for a loan phone")  # free text is sealed in the audit chain
    timeline = handled.timeline.get(kind="progress")
    assert timeline.data["verified"].startswith("Called the SC")
    # the daily update is met and runs again from now: 1 working day → the end of Tuesday's working hours
    daily = Clock.objects.filter(complaint=handled, code="daily_update")
    assert sorted(daily.values_list("cycle", "status")) == [(1, "stopped"), (2, "running")]
    assert daily.get(cycle=2).due_at == at("2026-06-09 18:00")


def test_a_reason_for_no_update_is_an_entry_too(org: Any, handled: Any) -> None:
    entry = add(org, handled, no_update_reason="Customer abroad until Friday; nothing to do")
    assert entry.no_update_reason.startswith("Customer abroad") and entry.done == ""
    assert Clock.objects.filter(complaint=handled, code="daily_update", status="running").count() == 1


def test_an_untrue_description_needs_what_really_happened(org: Any, handled: Any) -> None:
    with pytest.raises(ValidationFailed) as info:
        add(org, handled, description_true=False, done="Checked the recording", next_step="Tell the customer")
    assert "verified" in problems_of(info)
    entry = add(org, handled, description_true=False, verified="The agent did not hang up; the line dropped",
                done="Checked the recording", next_step="Tell the customer")
    assert entry.description_true is False


@pytest.mark.parametrize(("fields", "expected"), [
    ({}, {"done"}),
    ({"done": "Called the SC"}, {"next_step"}),
    ({"day": "yesterday", "done": "x", "next_step": "y"}, {"day"}),
    ({"day": "2026-06-09", "done": "x", "next_step": "y"}, {"day"}),  # in the future
    ({"day": "2026-06-01", "done": "x", "next_step": "y"}, {"day"}),  # before the registration
    ({"day": "2026-06-09"}, {"day", "done"}),  # every problem at once
])
def test_bad_entries_are_refused_and_change_nothing(org: Any, handled: Any, fields: dict[str, Any],
                                                   expected: set[str]) -> None:
    before = state_of(handled)
    with pytest.raises(ValidationFailed) as info:
        add(org, handled, **fields)
    assert set(problems_of(info)) == expected
    assert state_of(handled) == before and ProgressEntry.objects.count() == 0


def test_an_entry_for_an_earlier_day(org: Any, handled: Any) -> None:
    entry = add(org, handled, now="2026-06-09 09:00", day="2026-06-08", done="Called the SC", next_step="Wait")
    assert entry.day == date(2026, 6, 8)


@pytest.mark.parametrize("state", ["closed", "rejected", "withdrawn"])
def test_no_progress_on_a_finished_complaint(org: Any, state: str) -> None:
    complaint = bring_to(org, register(org["agent"]), state)
    before = state_of(complaint)
    with pytest.raises(Conflict) as info:
        progress_add(actor=org["supervisor"], number=complaint.number,
                     data=ProgressInput(done="Called", next_step="Call again"))
    assert complaint.number in str(info.value.message)
    assert state_of(complaint) == before and ProgressEntry.objects.count() == 0


def test_only_the_owner_or_a_supervisor_records_progress(org: Any, handled: Any) -> None:
    with pytest.raises(PermissionDenied):
        progress_add(actor=org["agent"], number=handled.number, data=ProgressInput(done="x", next_step="y"))
    assert progress_add(actor=org["supervisor"], number=handled.number,
                        data=ProgressInput(done="Checked", next_step="Decide")).author == org["supervisor"]


# --- proof ----------------------------------------------------------------------------------------


def test_real_images_and_pdfs_are_kept_as_proof(org: Any, handled: Any) -> None:
    files = [SimpleUploadedFile("screen.png", png_bytes(), "image/png"),
             SimpleUploadedFile("invoice.pdf", PDF, "application/pdf")]
    entry = add(org, handled, done="Collected the invoice", next_step="Send to the SC", files=files)
    stored = sorted(Attachment.objects.filter(progress=entry).values_list("name", "content_type"))
    assert stored == [("invoice.pdf", "application/pdf"), ("screen.png", "image/png")]
    attachment = Attachment.objects.get(name="screen.png")
    assert attachment.size == len(png_bytes()) and len(attachment.sha256) == 64
    assert attachment.file.read() == png_bytes()


@pytest.mark.parametrize(("name", "content"), [
    ("photo.png", b"this is only text pretending to be an image"),
    ("report.pdf", b"MZ\x90\x00 an executable"),
    ("big.png", png_bytes() + b"\x00" * (10 * 1024 * 1024)),
])
def test_bad_files_are_refused_by_content_and_size(org: Any, handled: Any, name: str, content: bytes) -> None:
    before = state_of(handled)
    with pytest.raises(ValidationFailed) as info:
        add(org, handled, done="Collected proof", next_step="Review",
            files=[SimpleUploadedFile("fine.pdf", PDF, "application/pdf"),
                   SimpleUploadedFile(name, content, "image/png")])
    assert set(problems_of(info)) == {"files[1]"}
    assert name in problems_of(info)["files[1]"]
    assert state_of(handled) == before
    assert ProgressEntry.objects.count() == 0 and Attachment.objects.count() == 0


def test_proof_through_the_api_as_multipart(org: Any, api: Any, handled: Any) -> None:
    client = api("specialist")
    response = client.client.post(
        f"/api/v1/complaints/{handled.number}/progress-with-proof",
        {"done": "Photo of the damage", "next_step": "Send to QA", "description_true": "true",
         "verified": "Damage as described",
         "files": [SimpleUploadedFile("damage.png", png_bytes(), "image/png")]}, **client.headers)
    assert response.status_code == 201, response.content
    assert response.json()["progress"][0]["attachments"] == ["damage.png"]
    response = client.client.post(
        f"/api/v1/complaints/{handled.number}/progress-with-proof",
        {"done": "Fake photo", "next_step": "None",
         "files": [SimpleUploadedFile("fake.png", b"plain text", "image/png")]}, **client.headers)
    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == "files[0]"
    assert ProgressEntry.objects.count() == 1


def test_progress_through_the_api(org: Any, api: Any, handled: Any) -> None:
    client = api("specialist")
    response = client.post(f"/complaints/{handled.number}/progress", {"done": "Called", "next_step": "Wait"})
    assert response.status_code == 201 and response.json_body["progress"][0]["done"] == "Called"
    response = client.post(f"/complaints/{handled.number}/progress", {})
    assert response.status_code == 422 and response.json_body["fields"][0]["field"] == "done"
    closed = bring_to(org, register(org["agent"], customer={"first_name": "Ann",
                                                            "last_name": "He", "phone": "13912345676",
                                                             "language": "en"}), "closed")
    response = client.post(f"/complaints/{closed.number}/progress", {"done": "Called", "next_step": "Wait"})
    assert response.status_code == 409 and response.json_body["error"] == "conflict"


# --- missed days ----------------------------------------------------------------------------------


def test_each_working_day_without_an_entry_is_flagged_once(org: Any, handled: Any) -> None:
    """Accepted Monday 2026-06-08 10:00; the daily update is due 1 working day later, at the end of
    that day's working hours (18:00), each day. Sweeping on Monday 2026-06-22 10:00 flags Tue 9,
    Wed 10, Thu 11, Fri 12, Mon 15, Tue 16, Wed 17 and Thu 18 June: not the weekends, not the
    Dragon Boat Festival (Fri 19), and not Monday 22 June, whose working day is not over."""
    flagged = ["2026-06-09", "2026-06-10", "2026-06-11", "2026-06-12", "2026-06-15", "2026-06-16",
               "2026-06-17", "2026-06-18"]
    sweep(now=at("2026-06-22 10:00"))
    fresh = Complaint.objects.get(pk=handled.pk)
    assert fresh.missed_update_days == len(flagged)
    entries = fresh.timeline.filter(kind="progress_missing").order_by("id")
    assert [e.data["day"] for e in entries] == flagged
    assert entries[0].data["actions"] == [{"do": "notify", "to": ["specialist", "supervisor"],
                                        "names": ["Specialist Test", "Supervisor Test"]}]
    daily = [n for n in notices(org["specialist"], "clock_breach") if "Daily handling update" in n.body]
    assert len(daily) == len(flagged)
    assert sweep(now=at("2026-06-22 10:00")) == 0  # each day once
    assert Complaint.objects.get(pk=handled.pk).missed_update_days == len(flagged)


def test_an_entry_a_day_keeps_the_flag_away(org: Any, handled: Any) -> None:
    for day, moment in [("2026-06-08", "2026-06-08 17:00"), ("2026-06-09", "2026-06-09 16:00"),
                        ("2026-06-10", "2026-06-10 15:00")]:
        add(org, handled, now=moment, day=day, done="Followed up", next_step="Continue")
        sweep(now=at(moment))
    sweep(now=at("2026-06-11 17:59"))
    assert Complaint.objects.get(pk=handled.pk).missed_update_days == 0
    sweep(now=at("2026-06-11 18:00"))  # the end of the working day after Wednesday's entry
    fresh = Complaint.objects.get(pk=handled.pk)
    assert fresh.missed_update_days == 1
    assert fresh.timeline.get(kind="progress_missing").data["day"] == "2026-06-11"


def test_the_page_shows_the_missed_days(org: Any, client: Any, handled: Any) -> None:
    sweep(now=at("2026-06-11 18:00"))
    client.force_login(org["specialist"])
    page = client.get(f"/complaints/{handled.number}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="missed-days"' in page and "3 days without entry" in page
    assert "No progress entry on 2026-06-09" in page


def test_daily_updates_end_when_the_complaint_is_resolved(org: Any, handled: Any) -> None:
    """The daily update is handling work: once resolved (awaiting the return visit), no further
    day is flagged."""
    add(org, handled, now="2026-06-08 17:00", done="Explained", next_step="Resolve tomorrow")
    from workkit import act, resolve_fields

    from complaintdesk.core.policies import policy_of

    act(org["specialist"], handled, "resolve", now=at("2026-06-09 11:00"),
        **resolve_fields(policy_of(handled.policy_version)))
    sweep(now=at("2026-06-22 10:00"))
    fresh = Complaint.objects.get(pk=handled.pk)
    assert fresh.missed_update_days == 0
    assert not Clock.objects.filter(complaint=fresh, code="daily_update", status__in=["running", "paused"]).exists()
    assert not fresh.timeline.filter(kind="progress_missing").exists()
