"""Questions the application asks of a policy: pure functions over :class:`Policy`, one module per
part of the policy language, mirroring ``policy/schema/``:

- ``intake``   — trigger keywords and the suggested level, the primary target, completeness, the
  reason taxonomy, the responsible department, the complaint number;
- ``clocks``   — which clocks an event starts or stops, the promised-reply clock;
- ``money``    — authority limits, the compensation standard by level, the approval route, the
  budget escalation, petty cash;
- ``followup`` — the "callback failed" rule, the satisfaction scale, a judgement's consequence
  and who bears the compensation;
- ``messages`` — message templates and moments in the reader's language;
- ``knowledge`` — no-fault answers from the knowledge base, the result notice, the reply script;
- ``reports``  — reporting periods.

Nothing here touches a database (or imports Django): the services pass in what they know about a
complaint and obey the answer. The names are re-exported here, so ``rules.suggest_level(...)``
reads the same wherever it is called.
"""

from complaintdesk.policy.rules.clocks import (
    ComplaintFacts,
    clock_applies,
    clocks_started_by,
    clocks_stopped_by,
    promise_clock,
)
from complaintdesk.policy.rules.followup import (
    CallProgress,
    callback_progress,
    judgement_consequence,
    scale_point,
    staff_pays,
)
from complaintdesk.policy.rules.intake import (
    Completeness,
    LevelSuggestion,
    TriggerMatch,
    applied_level,
    completeness,
    fact_by_code,
    fact_required,
    format_number,
    keyword_in,
    next_level,
    normalise_text,
    primary_target,
    reason_children,
    reason_path,
    registration_notices,
    responsible_department,
    sequence_key,
    suggest_level,
    trigger_matches,
)
from complaintdesk.policy.rules.knowledge import (
    answered_and_closed,
    article_reply,
    knowledge_close_reasons,
    reply_script,
    responsibility_of,
    result_notice,
)
from complaintdesk.policy.rules.messages import format_moment, render_message
from complaintdesk.policy.rules.money import (
    ROLE_ORDER,
    ApprovalRoute,
    approval_route,
    authority_limit,
    budget_escalation_role,
    escalation_step_index,
    exceeds_budget,
    level_standard,
    petty_cash_covers,
    petty_cash_limit_for,
    role_rank,
)
from complaintdesk.policy.rules.reports import ReportPeriod, report_period

__all__ = [
    "ROLE_ORDER",
    "ApprovalRoute",
    "CallProgress",
    "ComplaintFacts",
    "Completeness",
    "LevelSuggestion",
    "ReportPeriod",
    "TriggerMatch",
    "answered_and_closed",
    "applied_level",
    "approval_route",
    "article_reply",
    "authority_limit",
    "budget_escalation_role",
    "callback_progress",
    "clock_applies",
    "clocks_started_by",
    "clocks_stopped_by",
    "completeness",
    "escalation_step_index",
    "exceeds_budget",
    "fact_by_code",
    "fact_required",
    "format_moment",
    "format_number",
    "judgement_consequence",
    "keyword_in",
    "knowledge_close_reasons",
    "level_standard",
    "next_level",
    "normalise_text",
    "petty_cash_covers",
    "petty_cash_limit_for",
    "primary_target",
    "promise_clock",
    "reason_children",
    "reason_path",
    "registration_notices",
    "render_message",
    "reply_script",
    "report_period",
    "responsibility_of",
    "responsible_department",
    "result_notice",
    "role_rank",
    "scale_point",
    "sequence_key",
    "staff_pays",
    "suggest_level",
    "trigger_matches",
]
