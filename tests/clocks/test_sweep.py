"""The clock sweep: warnings at the policy's threshold and breaches run the policy's actions
(notify the owner and the level's supervisor, raise the level, reassign), each at most once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import translation
from workkit import act, at, bring_to, notices, register

from complaintdesk.clocks.models import Clock, ClockFiring
from complaintdesk.clocks.sweep import sweep
from complaintdesk.complaints.display import timeline_text
from complaintdesk.complaints.models import Complaint, OwnershipChange
from complaintdesk.core.models import AuditEvent
from complaintdesk.core.policies import policy_of
from complaintdesk.notify.models import Message
from orgkit import install_org, install_variant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("table_only")]


def firings(complaint: Complaint) -> list[tuple[str, str]]:
    return sorted(ClockFiring.objects.filter(clock__complaint=complaint).values_list("clock__code", "kind"))


def test_warning_at_the_threshold_then_breach_notify_owner_and_level_supervisor(org: Any) -> None:
    """phone_maker first_reply: 24 h from Wednesday 2026-06-10 10:00, warned 4 h before."""
    complaint = register(org["agent"], when=at("2026-06-10 10:00"))
    assert sweep(now=at("2026-06-11 05:59")) == 0
    assert sweep(now=at("2026-06-11 06:00")) == 1
    assert firings(complaint) == [("first_reply", "warning")]
    assert [n.kind for n in notices(org["agent"])] == ["clock_warning"]  # on_warning: owner
    assert notices(org["supervisor"]) == []
    assert "First reply to the customer" in notices(org["agent"])[0].body
    assert complaint.timeline.filter(kind="clock_warning").count() == 1
    assert sweep(now=at("2026-06-11 09:59")) == 0
    assert sweep(now=at("2026-06-11 10:00")) == 1
    assert firings(complaint) == [("first_reply", "breach"), ("first_reply", "warning")]
    # on_breach: owner and the level's supervisor (general → supervisor)
    assert [n.kind for n in notices(org["agent"])] == ["clock_warning", "clock_breach"]
    assert [n.kind for n in notices(org["supervisor"])] == ["clock_breach"]
    assert notices(org["qc_manager"]) == [] and notices(org["cs_head"]) == []
    breach = complaint.timeline.get(kind="clock_breach")
    assert breach.data["actions"] == [{"do": "notify", "to": ["agent", "supervisor"],
                                       "names": ["Agent Test", "Supervisor Test"]}]
    # the timeline names the people notified, not their usernames, in the reader's language
    policy = policy_of(complaint.policy_version)
    assert "notified Agent Test, Supervisor Test" in timeline_text(breach, policy)
    with translation.override("zh-hans"):
        assert "已通知 Agent Test、Supervisor Test" in timeline_text(breach, policy)
    assert AuditEvent.objects.filter(action="clock.breach").count() == 1
    first = Clock.objects.get(complaint=complaint, code="first_reply")
    assert first.breached_at == at("2026-06-11 10:00") and first.next_fire_at is None
    assert first.status == "running"  # still to be met (late), just not fired again


def test_a_late_sweep_fires_warning_and_breach_together(org: Any) -> None:
    complaint = register(org["agent"], when=at("2026-06-10 10:00"))
    assert sweep(now=at("2026-06-15 10:00")) == 2
    assert firings(complaint) == [("first_reply", "breach"), ("first_reply", "warning")]


def test_a_clock_fires_at_most_once(org: Any) -> None:
    complaints = [register(org["agent"], when=at("2026-06-10 10:00"),
                           customer={"first_name": "Ann",
                                     "last_name": f"C{i}", "phone": f"1391234567{i}", "language": "en"})
                  for i in range(3)]
    now = at("2026-06-12 10:00")
    assert sweep(now=now) == 6
    counts = (ClockFiring.objects.count(), Message.objects.filter(channel="internal").count(),
              AuditEvent.objects.count())
    assert sweep(now=now) == 0
    assert sweep(now=now + timedelta(days=3)) == 0
    assert (ClockFiring.objects.count(), Message.objects.filter(channel="internal").count(),
            AuditEvent.objects.count()) == counts
    for complaint in complaints:
        assert firings(complaint) == [("first_reply", "breach"), ("first_reply", "warning")]


def test_a_met_deadline_never_fires(org: Any) -> None:
    from complaintdesk.complaints.services.work import contact_record

    complaint = register(org["agent"], when=at("2026-06-10 10:00"))
    contact_record(actor=org["agent"], number=complaint.number, outcome="reached", note="Explained the next steps",
                   now=at("2026-06-10 15:00"))
    assert Clock.objects.get(complaint=complaint, code="first_reply").status == "stopped"
    assert sweep(now=at("2026-06-20 10:00")) == 0


@pytest.mark.parametrize(("level", "supervisors"), [("orange", ["qc_manager"]), ("red", ["cs_head", "qc_manager"]),
                                                    ("yellow", ["supervisor"])])
def test_iptv_levels_have_their_own_supervisor(db: Any, level: str, supervisors: list[str]) -> None:
    """004: orange (severe) → the quality-control manager; red (major) → the head of customer service,
    and the quality-control manager too, who follows "orange and above" (``followed_by``)."""
    iptv = install_org("iptv")
    complaint = register(iptv["agent"], when=at("2026-06-08 10:00"), level=level,
                         level_override_reason="Escalated by the regulator")
    sweep(now=at("2026-06-09 10:00"))  # the 24 h reply: notify owner and level_supervisor
    for role in supervisors:
        assert "clock_breach" in [n.kind for n in notices(iptv[role])], role
    for role in {"qc_manager", "cs_head", "supervisor"} - set(supervisors):
        assert "clock_breach" not in [n.kind for n in notices(iptv[role])], role
    entry = complaint.timeline.filter(kind="clock_breach", data__clock="reply").get()
    notified = ["agent", *supervisors]  # the owner, then the level's supervisor and the roles that follow it
    assert entry.data["actions"] == [{"do": "notify", "to": notified,
                                      "names": [f"{name.title()} Test" for name in notified]}]


def test_iptv_orange_resolution_warns_and_breaches_to_the_qc_manager(db: Any) -> None:
    iptv = install_org("iptv")
    complaint = register(iptv["agent"], when=at("2026-06-08 14:00"), level="orange",
                         level_override_reason="Broadcasting regulator")
    complaint = bring_to(iptv, complaint, "in_progress", now=at("2026-06-08 14:00"))
    sweep(now=at("2026-06-10 18:00"))  # 1 working day before the end of Thursday (18:00)
    assert ("resolve_orange", "warning") in firings(complaint)
    assert "clock_warning" in [n.kind for n in notices(iptv["qc_manager"])]
    sweep(now=at("2026-06-11 17:59"))
    assert ("resolve_orange", "breach") not in firings(complaint)  # the last working day runs to its end
    sweep(now=at("2026-06-11 18:00"))
    assert ("resolve_orange", "breach") in firings(complaint)
    assert [n.kind for n in notices(iptv["qc_manager"])].count("clock_breach") == 2  # reply + resolve_orange


def test_iptv_breach_raises_the_level(db: Any) -> None:
    """blue and yellow: resolved within 5 working days, else the level goes up one colour."""
    iptv = install_org("iptv")
    complaint = register(iptv["agent"], when=at("2026-06-08 14:00"), channel="call_centre")
    complaint = bring_to(iptv, complaint, "in_progress", now=at("2026-06-08 14:00"))
    assert complaint.level == "blue"
    sweep(now=at("2026-06-15 14:00"))  # the fifth working day is not over yet
    assert Complaint.objects.get(pk=complaint.pk).level == "blue"
    sweep(now=at("2026-06-15 18:00"))
    fresh = Complaint.objects.get(pk=complaint.pk)
    assert fresh.level == "yellow"
    escalated = fresh.timeline.get(kind="escalated")
    assert (escalated.data["previous"], escalated.data["level"]) == ("blue", "yellow")
    assert escalated.data["reason"] == "clock:resolve_lower"
    policy = policy_of(fresh.policy_version)
    resolve_lower = policy.clock("resolve_lower").label
    assert timeline_text(escalated, policy).endswith(f"Reason: the deadline “{resolve_lower.en}” passed")
    with translation.override("zh-hans"):
        assert f"“{resolve_lower.zh}”" in timeline_text(escalated, policy)
    assert AuditEvent.objects.get(action="complaint.escalate").actor is None
    # yellow is supervised by the supervisor, who is told of the escalation and of the breach
    assert {"escalated", "clock_breach"} <= {n.kind for n in notices(iptv["supervisor"])}
    breach = fresh.timeline.get(kind="clock_breach", data__clock="resolve_lower")
    assert breach.data["actions"][0] == {"do": "raise_level", "level": "yellow"}


def test_raising_to_orange_starts_the_orange_clock_and_cancels_the_lower_one(db: Any) -> None:
    iptv = install_org("iptv")
    complaint = bring_to(iptv, register(iptv["agent"], when=at("2026-06-08 14:00"), channel="call_centre"),
                         "in_progress", now=at("2026-06-08 14:00"))
    act(iptv["specialist"], complaint, "escalate", level="orange", reason="Regulator called",
        now=at("2026-06-09 10:00"))
    clocks = {c.code: c for c in Clock.objects.filter(complaint=complaint)}
    assert clocks["resolve_lower"].status == "cancelled"
    # 3 working days from Tuesday 10:00 → the end of Friday 2026-06-12's working hours
    assert clocks["resolve_orange"].status == "running"
    assert clocks["resolve_orange"].due_at == at("2026-06-12 18:00")


def test_a_breach_can_reassign_the_complaint(db: Any) -> None:
    """No shipped preset reassigns; a variant of iptv does: a red complaint not resolved in time goes
    to the head of customer service."""
    iptv = install_variant("iptv", "2026.1-reassign", (
        "      - {do: notify, to: [cs_head, qc_manager, owner]}   # 3.4",
        "      - {do: reassign, to: [cs_head]}\n      - {do: notify, to: [cs_head, qc_manager, owner]}   # 3.4"))
    complaint = register(iptv["agent"], when=at("2026-06-08 14:00"), level="red", level_override_reason="Media")
    complaint = bring_to(iptv, complaint, "in_progress", now=at("2026-06-08 14:00"))
    sweep(now=at("2026-06-10 18:00"))  # 2 working days, to the end of Wednesday's working hours
    fresh = Complaint.objects.get(pk=complaint.pk)
    assert fresh.owner == iptv["cs_head"]
    change = OwnershipChange.objects.filter(complaint=fresh).latest("id")
    assert (change.from_user, change.to_user, change.by) == (iptv["specialist"], iptv["cs_head"], None)
    assert change.reason == "clock:resolve_red"
    assert AuditEvent.objects.filter(action="complaint.handover", actor=None).count() == 1
    assert "handover" in [n.kind for n in notices(iptv["cs_head"])]
    breach = fresh.timeline.get(kind="clock_breach", data__clock="resolve_red")
    assert breach.data["actions"][0] == {"do": "reassign", "to": "cs_head", "name": "Cs_Head Test"}
    assert "reassigned to Cs_Head Test" in timeline_text(breach, policy_of(fresh.policy_version))
    handover = fresh.timeline.filter(kind="handover").latest("id")
    assert "clock:" not in timeline_text(handover, policy_of(fresh.policy_version))
    # the breach notice went to the new owner
    assert "clock_breach" in [n.kind for n in notices(iptv["cs_head"])]


def test_a_failing_clock_is_rolled_back_alone_and_the_next_sweep_fires_it_once(
        org: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second clock's recipients cannot be found (a bug, a bad policy action): that clock leaves
    no firing and no message behind, the others fire together; the next sweep fires the failed one,
    and every clock has fired exactly once."""
    from complaintdesk.clocks import actions

    for i in range(3):
        register(org["agent"], when=at("2026-06-10 10:00"),
                 customer={"first_name": "Ann", "last_name": f"K{i}", "phone": f"1391234568{i}", "language": "en"})
    real = actions.recipients
    calls = {"n": 0}

    def failing(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("a broken action")
        return real(*args, **kwargs)

    monkeypatch.setattr(actions, "recipients", failing)
    assert sweep(now=at("2026-06-11 06:00")) == 2
    assert ClockFiring.objects.filter(kind="warning").count() == 2
    assert len(notices(org["agent"], "clock_warning")) == 2
    monkeypatch.setattr(actions, "recipients", real)
    assert sweep(now=at("2026-06-11 06:00")) == 1
    assert sweep(now=at("2026-06-11 06:00")) == 0
    assert ClockFiring.objects.filter(kind="warning").count() == 3
    assert len(notices(org["agent"], "clock_warning")) == 3


def test_when_the_batch_write_fails_each_clock_fires_alone_in_its_own_savepoint(
        org: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The batch's writes fail (here: after its firings and notices were inserted): they roll back
    and every clock fires through the per-clock path, where the second clock's actions raise: it is
    rolled back alone, the others fire, and the next sweep fires it — each clock exactly once, each
    notice once. (A worker killed mid-batch rolls back the whole batch:
    tests/clocks/test_sweep_concurrency.py.)"""
    from complaintdesk.clocks import actions, batch

    complaints = [register(org["agent"], when=at("2026-06-10 10:00"),
                           customer={"first_name": "Ann",
                                     "last_name": f"B{i}", "phone": f"1391234569{i}", "language": "en"})
                  for i in range(3)]
    real_write, real_run = batch.write, actions.run_actions
    calls = {"n": 0}

    def broken_write(*args: Any, **kwargs: Any) -> int:
        real_write(*args, **kwargs)
        raise RuntimeError("the batch insert failed")

    def failing(**kwargs: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("a broken action")
        real_run(**kwargs)

    monkeypatch.setattr(batch, "write", broken_write)
    monkeypatch.setattr(actions, "run_actions", failing)
    assert sweep(now=at("2026-06-11 06:00")) == 2
    assert ClockFiring.objects.filter(kind="warning").count() == 2
    assert len(notices(org["agent"], "clock_warning")) == 2
    assert AuditEvent.objects.filter(action="clock.warning").count() == 2
    monkeypatch.setattr(actions, "run_actions", real_run)
    assert sweep(now=at("2026-06-11 06:00")) == 1
    assert sweep(now=at("2026-06-11 06:00")) == 0
    assert ClockFiring.objects.filter(kind="warning").count() == 3
    assert len(notices(org["agent"], "clock_warning")) == 3
    for complaint in complaints:
        assert complaint.timeline.filter(kind="clock_warning").count() == 1


def test_a_batch_writes_what_clock_by_clock_firing_writes(org: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same clocks fired together (the batch) and one by one (the per-clock path) leave the
    same firings, notices, timeline entries and audit events, and the audit chain verifies."""
    from complaintdesk.clocks import batch
    from complaintdesk.core.audit import verify_chain

    def fire(prefix: str, together: bool) -> list[tuple[Any, ...]]:
        complaints = [register(org["agent"], when=at("2026-06-10 10:00"),
                               customer={"first_name": "Ann",
                                         "last_name": f"{prefix}{i}", "phone": f"13912345{i}{len(prefix)}0",
                                         "language": "en"}) for i in range(2)]
        with monkeypatch.context() as patch:
            if not together:
                patch.setattr(batch, "batchable", lambda clock, now: False)
            assert sweep(now=at("2026-06-12 10:00")) == 4
        out: list[tuple[Any, ...]] = []
        for complaint in complaints:
            out += [(f.clock.code, f.kind, f.actions) for f in ClockFiring.objects.filter(clock__complaint=complaint)
                    .order_by("kind")]
            out += [(e.kind, e.actor_id, {k: v for k, v in e.data.items() if k != "due"})
                    for e in complaint.timeline.filter(kind__startswith="clock_").order_by("kind")]
            out += sorted((m.kind, m.channel, m.recipient_user.username, m.subject.replace(complaint.number, "N"))
                          for m in Message.objects.filter(complaint=complaint, kind__startswith="clock_"))
            out += [(a.action, a.object_type, a.actor_id, sorted(a.after)) for a in AuditEvent.objects.filter(
                complaint_number=complaint.number, action__startswith="clock.").order_by("action")]
        return out

    assert fire("T", together=True) == fire("One", together=False)
    assert list(verify_chain()) == []


def test_a_batch_of_firings_reaches_the_webhooks_once_each(org: Any) -> None:
    """The batch publishes its timeline entries together (core.events.publish_many): an endpoint
    that chose deadline warnings gets one delivery per warning, with the clock in its data; one
    that did not choose them gets none."""
    from complaintdesk.integrations.models import WebhookDelivery, WebhookEndpoint

    now = at("2026-06-01 09:00")
    chosen = WebhookEndpoint.objects.create(name="CRM", url="https://crm.example/hook", secret="s" * 32,
                                            events=["clock.warning"], created_at=now, updated_at=now)
    WebhookEndpoint.objects.create(name="Other", url="https://other.example/hook", secret="t" * 32,
                                   events=["complaint.closed"], created_at=now, updated_at=now)
    numbers = {register(org["agent"], when=at("2026-06-10 10:00"),
                        customer={"first_name": "Ann",
                                  "last_name": f"W{i}", "phone": f"1391234570{i}", "language": "en"}).number
               for i in range(3)}
    assert sweep(now=at("2026-06-11 06:00")) == 3
    deliveries = list(WebhookDelivery.objects.filter(event="clock.warning"))
    assert {d.endpoint_id for d in deliveries} == {chosen.pk}
    assert sorted(d.payload["complaint"]["number"] for d in deliveries) == sorted(numbers)
    assert all(d.payload["data"]["clock"] == "first_reply" and d.payload["id"] for d in deliveries)
    assert WebhookDelivery.objects.exclude(event="clock.warning").filter(event__startswith="clock").count() == 0
