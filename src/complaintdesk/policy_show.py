"""``complaintdesk policy show``: a readable summary of one policy in Chinese or English, for the
command line — levels with their definitions and supervisors, targets by priority, categories with
their required facts, clocks with durations and what starts and stops them, the approval matrix,
petty cash, the budget, return-visit and unreachable rules, judgement, reports and retention — and
who acts where a key decides it (a tier's reviewer, who confirms closing, each report's recipients).

The printer lives on the CLI side; the policy package it reads stays pure."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TextIO

from complaintdesk.policy.load import PolicyError, load_policy, resolve
from complaintdesk.policy.schema import Clock, Duration, Policy, Role, Text
from complaintdesk.policy_show_texts import HEADINGS, VALUES


def show(target: str, out: TextIO, language: str) -> int:
    """Print a readable summary of one policy in ``language`` (``zh…`` or ``en``).

    Returns 0, or 1 after printing the problems when the policy does not load.
    """
    try:
        policy = load_policy(resolve(target)).policy
    except PolicyError as exc:
        for problem in exc.problems:
            out.write(f"{problem}\n")
        return 1
    _Printer(policy, out, language).run()
    return 0


def show_unit(code: str, out: TextIO, language: str) -> int:
    """Print the policy in force at a unit (Django set up by the caller): whether it is the unit's
    own version or inherited from a unit above, the rules fixed above it, then the summary."""
    from complaintdesk.core.policies import policy_of  # after django.setup()
    from complaintdesk.units.models import Unit  # after django.setup()
    from complaintdesk.units.policies import inherited_version, unit_version  # after django.setup()
    from complaintdesk.units.scope import chain  # after django.setup()

    unit = Unit.objects.filter(code=code.strip()).first()
    if unit is None:
        out.write(f"unknown unit {code}\n")
        return 1
    version = unit_version(unit)
    name = unit.name_zh if language.startswith("zh") else unit.name_en
    links = chain(unit)
    if unit.policy_version_id is not None:
        where = HEADINGS["own_policy"].get(language)
    elif unit.parent_id is None:
        where = HEADINGS["active"].get(language)
    else:
        # the nearest unit above with its own version, else head office (the installation's policy)
        source = next((link for link in links if link.policy_version_id is not None), links[-1])
        source_name = source.name_zh if language.startswith("zh") else source.name_en
        where = f"{HEADINGS['inherited_from'].get(language)} {source_name}"
    out.write(f"{HEADINGS['unit'].get(language)} {unit.code} — {name}: {version} ({where})\n")
    above = policy_of(inherited_version(unit)).fixed if unit.parent_id is not None else []
    if above:
        out.write(f"{HEADINGS['inherited_fixed'].get(language)}: {', '.join(above)}\n")
    out.write("\n")
    _Printer(policy_of(version), out, language).run()
    return 0


class _Printer:
    def __init__(self, policy: Policy, out: TextIO, language: str) -> None:
        self.policy = policy
        self.out = out
        self.language = language

    # helpers

    def h(self, key: str) -> str:
        return HEADINGS[key].get(self.language)

    def v(self, value: str) -> str:
        return VALUES[value].get(self.language)

    def t(self, text: Text | None) -> str:
        return text.get(self.language) if text is not None else ""

    def line(self, text: str = "", indent: int = 0) -> None:
        self.out.write(("  " * indent + text).rstrip() + "\n")

    def section(self, key: str) -> None:
        self.line()
        self.line(self.h(key))

    def role(self, role: Role | str) -> str:
        title = self.policy.role_title(str(role), self.language)
        return f"{role} ({title})" if title else str(role)

    def duration(self, duration: Duration | str) -> str:
        return self.h("long_term") if isinstance(duration, str) else str(duration)

    def money(self, amount: Decimal) -> str:
        return f"{amount:,} {self.policy.currency}"

    # sections

    def run(self) -> None:
        p = self.policy
        self.line(f"{self.h('policy')} {p.id} {p.version} — {self.t(p.name)}")
        self.line(self.t(p.organisation), 1)
        facts = [
            f"{self.h('seed')} {p.seed}" if p.seed else "",
            f"{self.h('language')} {p.language}",
            f"{self.h('timezone')} {p.timezone}",
            f"{self.h('currency')} {p.currency}",
        ]
        self.line(" · ".join(part for part in facts if part), 1)
        number = p.number
        resets = f"{self.h('reset')} {self.v(number.reset)}"
        self.line(f"{self.h('numbers')}: {number.pattern} ({number.prefix}; {resets})", 1)
        steps: list[Callable[[], None]] = [
            self.levels,
            self.flags,
            self.triggers,
            self.targets,
            self.channels,
            self.categories,
            self.repeat,
            self.reasons,
            self.departments,
            self.clocks,
            self.tiers,
            self.cost_kinds,
            self.approval,
            self.petty_cash,
            self.budget,
            self.return_visit,
            self.unreachable,
            self.judgement,
            self.responsibility,
            self.legal,
            self.major_team,
            self.closing,
            self.batch_alerts,
            self.reports,
            self.retention,
            self.fixed,
        ]
        for step in steps:
            step()

    def fixed(self) -> None:
        if not self.policy.fixed:
            return
        self.section("fixed")
        for path in self.policy.fixed:
            self.line(f"- {path}", 1)

    def levels(self) -> None:
        self.section("levels")
        for level in self.policy.levels_by_rank():
            notes = []
            if level.code == self.policy.default_level:
                notes.append(self.h("default"))
            if level.supervisor is not None:
                notes.append(f"{self.h('supervisor')} {self.role(level.supervisor)}")
            if level.followed_by:
                separator = "、" if self.language.startswith("zh") else ", "
                joined = separator.join(self.role(r) for r in level.followed_by)
                notes.append(f"{self.h('followed_by')} {joined}")
            if level.compensation_limit is not None:
                notes.append(f"{self.h('compensation')} {self.money(level.compensation_limit)}")
            if level.major:
                notes.append(self.h("major_team"))
            if level.suggested_only:
                notes.append(self.h("suggested_only"))
            suffix = f" [{'; '.join(notes)}]" if notes else ""
            self.line(f"{level.rank}. {level.code} — {self.t(level.label)}{suffix}", 1)
            self.line(self.t(level.definition), 3)

    def flags(self) -> None:
        p = self.policy
        if p.flags:
            self.section("flags")
            for flag in p.flags:
                note = f" [{self.h('irreversible')}]" if flag.irreversible else ""
                self.line(f"{flag.code} — {self.t(flag.label)}{note}", 1)
        if p.special_identities:
            self.section("identities")
            for option in p.special_identities:
                self.line(f"{option.code} — {self.t(option.label)}", 1)

    def triggers(self) -> None:
        if not self.policy.triggers:
            return
        self.section("triggers")
        for trigger in self.policy.triggers:
            conditions = list(trigger.keywords.all())
            conditions += [f"flag:{flag}" for flag in trigger.flags]
            conditions += [f"channel:{channel}" for channel in trigger.channels]
            conditions += [f"category:{category}" for category in trigger.categories]
            conditions += [f"identity:{identity}" for identity in trigger.special_identities]
            if trigger.min_units:
                conditions.append(f"units≥{trigger.min_units}")
            self.line(f"{trigger.code} → {trigger.level}: {self.t(trigger.label)}", 1)
            self.line(", ".join(conditions), 3)

    def targets(self) -> None:
        self.section("targets")
        for target in sorted(self.policy.targets, key=lambda item: item.priority):
            self.line(f"{target.priority}. {target.code} — {self.t(target.label)}", 1)

    def channels(self) -> None:
        self.section("channels")
        for channel in self.policy.channels:
            self.line(f"{channel.code} [{channel.kind}] — {self.t(channel.label)}", 1)

    def categories(self) -> None:
        self.section("categories")
        for category in self.policy.categories:
            self.line(f"[{category.group}] {category.code} — {self.t(category.label)}", 1)
            for fact in category.facts:
                notes = [fact.type.value]
                if fact.field:
                    notes.append(fact.field)
                if not fact.required:
                    notes.append(self.h("optional"))
                elif not fact.note_allowed:
                    notes.append(self.h("no_note"))
                if fact.required and fact.channels:
                    doors = [self.t(channel.label) for channel in self.policy.channels if channel.code in fact.channels]
                    notes.append(self.h("required_through") + " / ".join(doors))
                self.line(f"- {fact.code}: {self.t(fact.label)} ({', '.join(notes)})", 3)
        if self.policy.customer_profile:
            self.line(f"{self.h('profile')}: {', '.join(self.policy.customer_profile)}", 1)

    def repeat(self) -> None:
        repeat = self.policy.repeat
        self.section("repeat")
        self.line(f"{repeat.window_days} {self.h('repeat_window')} {', '.join(map(self.v, repeat.match))}", 1)
        self.section("reject_reasons")
        for reason in self.policy.reject_reasons:
            self.line(f"{reason.code} — {self.t(reason.label)}", 1)
        if self.policy.close_reasons:
            self.section("close_reasons")
            for reason in self.policy.close_reasons:
                self.line(f"{reason.code} — {self.t(reason.label)}", 1)

    def reasons(self) -> None:
        reasons = self.policy.reasons
        self.section("reasons")
        self.line(
            f"{self.h('intake')}: {reasons.intake_depth}; {self.h('root')}: {reasons.root_cause_depth}",
            1,
        )
        for node in reasons.tree:
            where = f" → {node.department}" if node.department else ""
            self.line(f"{node.code} — {self.t(node.label)}{where}", 1)

    def departments(self) -> None:
        if not self.policy.departments:
            return
        self.section("departments")
        for department in self.policy.departments:
            due = str(department.work_order_due)
            if department.urgent_due is not None:
                due += f", {self.h('urgent')} {department.urgent_due}"
            self.line(f"{department.code} — {self.t(department.label)}: {due}", 1)
        if self.policy.work_order_priority == "high":
            self.line(self.h("work_order_priority"), 1)

    def clocks(self) -> None:
        self.section("clocks")
        for clock in self.policy.clocks:
            self.line(f"{clock.code} — {self.t(clock.label)}: {clock.duration}", 1)
            self.line(f"{clock.starts.value} → {', '.join(e.value for e in clock.stops)}", 3)
            notes = self.clock_notes(clock)
            if notes:
                self.line("; ".join(notes), 3)
            if clock.source:
                self.line(f"{self.h('source')}: {clock.source}", 3)

    def clock_notes(self, clock: Clock) -> list[str]:
        notes = []
        if clock.promise:
            notes.append(self.h("promise"))
        if clock.customer_deadline:
            notes.append(self.h("customer_deadline"))
        applies = clock.applies.model_dump(exclude_defaults=True)
        if applies:
            parts = [
                f"{key}={','.join(map(str, value)) if isinstance(value, list) else value}"
                for key, value in applies.items()
            ]
            notes.append(f"{self.h('applies')} {' '.join(parts)}")
        if clock.on_breach:
            actions = []
            for action in clock.on_breach:
                target = ",".join(action.to) or action.level or action.reason or ""
                actions.append(f"{action.do.value} {target}".strip())
            notes.append(f"{self.h('breach')}: {'; '.join(actions)}")
        if clock.extension is not None:
            notes.append(f"{self.h('extension')} {self.role(clock.extension.approver)}")
        return notes

    def tiers(self) -> None:
        if not self.policy.solution_tiers:
            return
        self.section("tiers")
        for tier in sorted(self.policy.solution_tiers, key=lambda item: item.rank):
            roles = [f"{self.h('reviewed_by')} {self.role(tier.reviewed_by)}"] if tier.reviewed_by else []
            roles += [f"{self.h('approver')} {self.role(tier.approver)}"] if tier.approver else []
            approver = f" [{'; '.join(roles)}]" if roles else ""
            self.line(f"{tier.rank}. {tier.code} — {self.t(tier.label)}{approver}", 1)
            if tier.condition is not None:
                self.line(self.t(tier.condition), 3)

    def cost_kinds(self) -> None:
        if not self.policy.cost_kinds:
            return
        self.section("cost_kinds")
        for kind in self.policy.cost_kinds:
            note = "" if kind.counts_against_budget else f" [{self.h('outside_budget')}]"
            self.line(f"{kind.code} — {self.t(kind.label)}{note}", 1)

    def approval(self) -> None:
        matrix = self.policy.approval
        if matrix is None:
            return
        self.section("approval")
        previous: Decimal | None = None
        for limit in matrix.limits:
            if limit.up_to is not None:
                amount = f"≤ {limit.up_to:,} {matrix.currency}"
            elif previous is not None:
                amount = f"> {previous:,} {matrix.currency}"
            else:
                amount = self.h("above") + f" 0 {matrix.currency}"
            self.line(f"{amount}: {self.role(limit.role)}", 1)
            previous = limit.up_to

    def petty_cash(self) -> None:
        cash = self.policy.petty_cash
        if cash is None:
            return
        self.section("petty_cash")
        payers = ", ".join(self.role(role) for role in cash.payer_roles)
        self.line(f"≤ {self.money(cash.limit)}: {payers}", 1)
        self.line(
            f"{self.h('countersign')} {self.role(cash.countersign_role)} {self.h('within')} {cash.countersign_within}",
            1,
        )

    def budget(self) -> None:
        budget = self.policy.budget
        if budget is None:
            return
        self.section("budget")
        self.line(f"{budget.monthly:,} {budget.currency}: {', '.join(budget.kinds)}", 1)
        self.line(f"{self.h('over_budget')} {self.role(budget.over_budget_escalate_to)}", 1)

    def return_visit(self) -> None:
        visit = self.policy.return_visit
        if visit is None:
            return
        self.section("return_visit")
        self.line(f"{visit.coverage}, {self.h('within')} {visit.due}", 1)
        for point in visit.scale:
            self.line(f"- {point.code}: {self.t(point.label)} → {point.outcome.value}", 3)
        failed = visit.callback_failed
        self.line(f"{self.h('callback_failed')} {failed.attempts} × / {failed.distinct_days} d", 1)

    def unreachable(self) -> None:
        path = self.policy.unreachable
        if path is None:
            return
        self.section("unreachable")
        self.line(
            f"{self.h('sms_after')}: {path.attempts_before_sms}; "
            f"{self.h('close_after')} {path.close_after} ({path.close_reason})",
            1,
        )

    def judgement(self) -> None:
        judgement = self.policy.judgement
        if judgement is None:
            return
        self.section("judgement")
        self.line(f"{self.h('valid')}: {', '.join(o.code for o in judgement.valid)}", 1)
        self.line(f"{self.h('invalid')}: {', '.join(o.code for o in judgement.invalid)}", 1)
        self.line(
            f"{self.h('appeal')} {judgement.appeal_within} → {self.role(judgement.review_role)}; "
            f"{', '.join(self.role(r) for r in judgement.second_review_roles)} "
            f"{self.h('within')} {judgement.second_review_within}",
            1,
        )

    def responsibility(self) -> None:
        if not self.policy.responsibility:
            return
        self.section("responsibility")
        for item in self.policy.responsibility:
            notes = [self.h("not_at_fault")] if not item.company_at_fault else []
            notes += [self.h("knowledge_answer")] if item.answer_from_knowledge_base else []
            suffix = f" [{'; '.join(notes)}]" if notes else ""
            self.line(f"{item.code} — {self.t(item.label)}{suffix}", 1)

    def closing(self) -> None:
        """Who handles a complaint, what resolving it needs, who confirms its closing."""
        if self.policy.handled_by is not None:
            self.section("handled_by")
            self.line(f"{self.role(self.policy.handled_by)} ({self.h('handed_at_registration')})", 1)
        if self.policy.plan_required:
            self.section("plan_required")
            self.line(self.h("plan_approved_and_implemented"), 1)
        if self.policy.close_by:
            self.section("close_by")
            self.line(", ".join(self.role(role) for role in self.policy.close_by), 1)

    def batch_alerts(self) -> None:
        alerts = self.policy.batch_alerts
        if alerts is None:
            return
        self.section("batch_alerts")
        rule = self.h("batch_rule").format(count=alerts.threshold, days=alerts.within_days)
        self.line(f"{rule}; "
                  f"{self.h('notify')} {self.role(alerts.notify)}", 1)

    def legal(self) -> None:
        legal = self.policy.legal
        if legal is None:
            return
        self.section("legal")
        self.line(
            f"{self.h('urgent_filing')} {legal.urgent_filing_within}; "
            f"{self.h('outcome_report')} {legal.outcome_report_within}",
            1,
        )

    def major_team(self) -> None:
        team = self.policy.major_team
        if team is None:
            return
        self.section("major")
        members = ", ".join(self.role(role) for role in team.members)
        self.line(f"{self.role(team.chair)}: {members}", 1)

    def reports(self) -> None:
        if not self.policy.reports:
            return
        self.section("reports")
        for report in self.policy.reports:
            when: str = report.every
            if report.by_day is not None:
                when += f", {self.h('by_day')} {report.by_day}"
            self.line(f"{report.code} — {self.t(report.label)} ({when})", 1)
            notes = [f"{self.h('to')} {', '.join(self.role(role) for role in report.to)}"] if report.to else []
            notes += [f"{self.h('for_each')} {report.for_each}"] if report.for_each else []
            notes += [f"{self.h('dimensions')} {', '.join(report.dimensions)}"] if report.dimensions else []
            if notes:
                self.line("; ".join(notes), 3)
            if report.source:
                self.line(f"{self.h('source')}: {report.source}", 3)

    def retention(self) -> None:
        if not self.policy.retention:
            return
        self.section("retention")
        for rule in self.policy.retention:
            where = f" — {self.t(rule.location)}" if rule.location else ""
            self.line(f"{self.t(rule.label)}: {self.duration(rule.keep)}{where}", 1)
