"""The capability table: every API endpoint and every page action, and who may use it.

Each route names one entry. A role-based entry is a key of ``accounts.roles.CAPABILITIES``: the
services ask ``can(user, key, at=complaint)`` of the very same entry, and
``tests/accounts/test_capability_table.py`` calls every such route as a user of every role over HTTP
and checks the answer against this table. Other entries say who may in words: ``public`` (no log-in),
``signed in`` (any member of staff; what they see is narrowed to their units and roles by the
selectors), or a rule decided by the policy or by the row itself (the approver of a tier, the judged
staff member, the department of a work order), tested with the module that applies it.

``complaintdesk capabilities --markdown`` prints the table docs/security.md shows; a test fails when
the two differ, and another when a route is missing here.
"""

from __future__ import annotations

from complaintdesk.accounts.roles import CAPABILITIES, OWNER_CAPABILITIES
from complaintdesk.policy.schema import Role

PUBLIC = "public"
SIGNED_IN = "signed in"

# rules that are not a set of roles: who may, and where the rule lives
RULES: dict[str, str] = {
    PUBLIC: "anyone, without logging in (the customer's side: one-time codes and signed links decide)",
    SIGNED_IN: "any signed-in user; reads narrowed to the user's units and roles (complaints/selectors/access.py)",
    "action": "each action's rule: accept and reject as in `complaint.accept`, the others as in "
              "`complaint.work` or the policy's approver (complaints/services/actions.py)",
    "work order": "the department of the work order, or a supervisor (complaints/services/work.py)",
    "plans": "the owner or a supervisor proposes; the policy's approvers decide (resolutions/services)",
    "approval": "the approver the policy routes the step to, or their delegate (resolutions/services/approvals.py)",
    "petty cash": "the policy's payer and countersigner (resolutions/services/petty_cash.py)",
    "legal": "the owner or a supervisor asks; the legal department advises and files (resolutions/services/legal.py)",
    "return visit": "the policy's return-visit roles and supervisors (followup/services/visits.py)",
    "judgement": "the policy's judges, the judged staff member, reviewers (followup/services/judgement.py)",
    "reports": "management, quality and supervisors (reports/)",
    "quality": "the quality department and management (reports/quality*.py)",
    "transfer": "supervisors and the administrator (complaints/services/unit_transfer.py, transfers/)",
    "administrator": "the administrator (units, webhooks, import: units/views.py, integrations/)",
    "own": "the user's own rows only (saved views, delegations, notices)",
    "knowledge answer": "the complaint's owner or a supervisor sends an article (knowledge/services.py)",
}

# every API endpoint (METHOD path) and page (URL name) → a CAPABILITIES key or a RULES key
ROUTES: dict[str, str] = {
    # registration and the record
    "POST /api/v1/complaints": "complaint.register",
    "GET /api/v1/complaints": SIGNED_IN,
    "GET /api/v1/complaints/{number}": SIGNED_IN,
    "PATCH /api/v1/complaints/{number}": "complaint.amend",
    "GET /api/v1/policy": SIGNED_IN,
    "POST /api/v1/complaints/{number}/actions/accept": "complaint.accept",
    "POST /api/v1/complaints/{number}/actions/withdraw": "complaint.work",
    "POST /api/v1/complaints/{number}/actions/reopen": "complaint.work",
    "POST /api/v1/complaints/{number}/actions/{name}": "action",
    "POST /api/v1/complaints/{number}/progress": "complaint.work",
    "POST /api/v1/complaints/{number}/progress-with-proof": "complaint.work",
    "POST /api/v1/complaints/{number}/work-orders": "complaint.work",
    "GET /api/v1/work-orders": SIGNED_IN,
    "GET /api/v1/complaints/{number}/work-orders/proposal": SIGNED_IN,
    "POST /api/v1/complaints/{number}/work-orders/proposal": "work order",
    "POST /api/v1/work-orders/{order_id}/reply": "work order",
    "POST /api/v1/work-orders/{order_id}/follow-up": "complaint.work",
    "GET /api/v1/work-orders/{order_id}": SIGNED_IN,
    "POST /api/v1/complaints/{number}/contacts": "complaint.work",
    "POST /api/v1/complaints/{number}/unreachable-sms": "complaint.work",
    "POST /api/v1/complaints/{number}/transfer-unit": "transfer",
    "GET /api/v1/complaints/{number}/letters/{kind}.pdf": SIGNED_IN,
    "GET /api/v1/complaints/{number}/attachments": SIGNED_IN,
    "GET /api/v1/complaints/{number}/attachments/{attachment_id}": SIGNED_IN,
    # the customer archive and the knowledge base
    "customer-detail": SIGNED_IN,
    "customer-merge": "customer.merge",
    "GET /api/v1/knowledge": "knowledge.read",
    "GET /api/v1/knowledge/{article_id}": "knowledge.read",
    "POST /api/v1/knowledge": "knowledge.edit",
    "PUT /api/v1/knowledge/{article_id}": "knowledge.edit",
    "knowledge-list": "knowledge.read",
    "knowledge-detail": "knowledge.read",
    "knowledge-new": "knowledge.edit",
    "knowledge-edit": "knowledge.edit",
    "POST /api/v1/complaints/{number}/knowledge-answer": "knowledge answer",
    "knowledge-answer": "knowledge answer",
    # money
    "POST /api/v1/complaints/{number}/plans": "plans",
    "GET /api/v1/complaints/{number}/plans": SIGNED_IN,
    "POST /api/v1/complaints/{number}/plans/preview": "plans",
    "GET /api/v1/plans/{plan_id}": SIGNED_IN,
    "POST /api/v1/plans/{plan_id}/customer-decision": "plans",
    "POST /api/v1/plans/{plan_id}/proposed": "plans",
    "POST /api/v1/plans/{plan_id}/implemented": "plans",
    "GET /api/v1/complaints/{number}/precedents": SIGNED_IN,
    "GET /api/v1/approvals": "approval",
    "GET /api/v1/approvals/{approval_id}": "approval",
    "POST /api/v1/approvals/{approval_id}/decision": "approval",
    "GET /api/v1/delegations": "own",
    "POST /api/v1/delegations": "own",
    "POST /api/v1/delegations/{delegation_id}/revoke": "own",
    "GET /api/v1/budget": "reports",
    "POST /api/v1/complaints/{number}/petty-cash": "petty cash",
    "GET /api/v1/petty-cash": "petty cash",
    "POST /api/v1/petty-cash/{payout_id}/countersign": "petty cash",
    "POST /api/v1/complaints/{number}/legal": "legal",
    "GET /api/v1/complaints/{number}/legal": "legal",
    "POST /api/v1/legal/{consultation_id}/file": "legal",
    "POST /api/v1/legal/{consultation_id}/advice": "legal",
    "POST /api/v1/complaints/{number}/agreements": "legal",
    "POST /api/v1/complaints/{number}/legal-report": "legal",
    # follow-up
    "GET /api/v1/return-visits": "return visit",
    "GET /api/v1/complaints/{number}/return-visits": SIGNED_IN,
    "POST /api/v1/complaints/{number}/return-visits": "return visit",
    "POST /api/v1/return-visits/{visit_id}/assign": "return visit",
    "POST /api/v1/complaints/{number}/return-visits/survey-link": "return visit",
    "GET /api/v1/surveys/{token}": PUBLIC,
    "POST /api/v1/surveys/{token}": PUBLIC,
    "POST /api/v1/complaints/{number}/judgement": "judgement",
    "GET /api/v1/complaints/{number}/judgement": "judgement",
    "GET /api/v1/judgements": "own",
    "GET /api/v1/appeals": "judgement",
    "GET /api/v1/judgements/{judgement_id}": "judgement",
    "POST /api/v1/judgements/{judgement_id}/appeal": "judgement",
    "POST /api/v1/judgements/{judgement_id}/appeal/review": "judgement",
    "POST /api/v1/judgements/{judgement_id}/appeal/answer": "judgement",
    "GET /api/v1/judgement-statistics": "judgement",
    # reports, webhooks, notices, transfers
    "GET /api/v1/reports/monthly": "reports",
    "GET /api/v1/reports/monthly.xlsx": "reports",
    "GET /api/v1/reports/sla": "reports",
    "GET /api/v1/webhooks/events": "administrator",
    "GET /api/v1/webhooks": "administrator",
    "POST /api/v1/webhooks": "administrator",
    "GET /api/v1/webhooks/{endpoint_id}": "administrator",
    "PATCH /api/v1/webhooks/{endpoint_id}": "administrator",
    "DELETE /api/v1/webhooks/{endpoint_id}": "administrator",
    "GET /api/v1/webhooks/{endpoint_id}/deliveries": "administrator",
    "GET /api/v1/notifications": "own",
    "POST /api/v1/notifications/read": "own",
    "POST /api/v1/transfers": "transfer",
    "POST /api/v1/complaints/{number}/transfer": "complaint.amend",
    "GET /api/v1/complaints/{number}/transfer": SIGNED_IN,
    # privacy requests
    "POST /api/v1/privacy/search": "privacy.answer",
    "POST /api/v1/privacy/export": "privacy.answer",
    "POST /api/v1/privacy/export.xlsx": "privacy.answer",
    "POST /api/v1/privacy/erase": "privacy.answer",
    "POST /api/v1/privacy/holds": "privacy.answer",
    "POST /api/v1/privacy/holds/{hold_id}/release": "privacy.answer",
    "GET /api/v1/privacy/retention": "privacy.answer",
    # units
    "GET /api/v1/units": SIGNED_IN,
    "POST /api/v1/units": "administrator",
    "POST /api/v1/units/members": "administrator",
    "GET /api/v1/units/{code}": SIGNED_IN,
    "PATCH /api/v1/units/{code}": "administrator",
    "DELETE /api/v1/units/{code}": "administrator",
    "POST /api/v1/units/{code}/move": "administrator",
    "GET /api/v1/units/{code}/members": SIGNED_IN,
    # pages (URL names)
    "healthz": PUBLIC, "login": PUBLIC, "logout": SIGNED_IN, "set-language": PUBLIC, "profile": SIGNED_IN,
    "home": SIGNED_IN, "saved-view-save": "own", "saved-view-delete": "own", "complaint-list": SIGNED_IN,
    "complaint-bulk": "action",
    "complaint-register": "complaint.register", "complaint-register-facts": "complaint.register",
    "complaint-register-preview": "complaint.register",
    "complaint-queue-mine": SIGNED_IN, "complaint-queue-new": SIGNED_IN, "complaint-queue-accept": "complaint.accept",
    "complaint-queue": SIGNED_IN, "attachment": SIGNED_IN, "complaint-detail": SIGNED_IN,
    "complaint-transfer-unit": "transfer", "complaint-reveal": "customer.reveal", "complaint-amend": "complaint.amend",
    "complaint-act": "action", "complaint-progress": "complaint.work", "complaint-work-order": "complaint.work",
    "complaint-contact": "complaint.work", "complaint-unreachable": "complaint.work",
    "complaint-message-resend": "message.resend",
    "work-order-inbox": SIGNED_IN, "work-order-reply": "work order", "work-order-follow-up": "complaint.work",
    "supervision": SIGNED_IN,
    "plan-new": "plans", "plan-preview": "plans", "plan-precedents": SIGNED_IN, "plan-decision": "plans",
    "plan-proposed": "plans", "plan-implemented": "plans", "approval-inbox": "approval", "approval-decide": "approval",
    "delegation-create": "own", "delegation-revoke": "own", "budget": "reports",
    "petty-cash-pay": "petty cash", "petty-cash-countersign": "petty cash",
    "legal-request": "legal", "legal-file": "legal", "legal-advise": "legal", "agreement-record": "legal",
    "agreement-file": "legal", "legal-report": "legal",
    "return-visit-queue": "return visit", "return-visit-assign": "return visit", "return-visit-record": "return visit",
    "return-visit-survey": "return visit",
    "judgement-record": "judgement", "my-judgements": "own", "judgement-detail": "judgement",
    "appeal-file": "judgement", "appeal-review": "judgement", "appeal-answer": "judgement", "appeal-inbox": "judgement",
    "survey": PUBLIC,
    "report-monthly": "reports", "report-accountability": "reports", "public-results": PUBLIC,
    "report-fca-disp": "reports", "report-cfpb": "reports", "dashboard": "reports", "dashboard-export": "reports",
    "complaint-export": SIGNED_IN, "queue-export": SIGNED_IN,
    "export-job": "own", "export-job-file": "own", "export-job-status": "own", "transfer-register": "transfer",
    "quality-alerts": "quality", "quality-alert": "quality", "quality-alert-containment": "quality",
    "quality-alert-corrective": "quality", "quality-alert-close": "quality",
    "import": "administrator", "import-job": "administrator", "import-job-status": "administrator",
    "import-report": "administrator",
    "notices": "own", "notices-read-all": "own",
    "portal-home": PUBLIC, "portal-submit": PUBLIC, "portal-received": PUBLIC, "portal-track": PUBLIC,
    "portal-code": PUBLIC, "portal-leave": PUBLIC, "portal-complaint": PUBLIC, "portal-add": PUBLIC,
    "portal-decide": PUBLIC, "portal-letter": PUBLIC, "portal-attachment": PUBLIC,
    "complaint-attachment": SIGNED_IN, "transfer-record": "complaint.amend", "units": "administrator",
    "privacy": "privacy.answer", "privacy-search": "privacy.answer", "privacy-export": "privacy.answer",
    "privacy-hold": "privacy.answer", "privacy-release": "privacy.answer", "privacy-erase": "privacy.answer",
}

ROLE_COLUMNS = tuple(Role)


def cell(entry: str, role: Role) -> str:
    if entry in (PUBLIC, SIGNED_IN):
        return "✓"
    return "✓" if role in CAPABILITIES[entry] else "—"


def markdown() -> str:
    """The tables of docs/security.md: who holds each role-based entry, the entries decided by a
    rule, and each route's entry."""
    head = "| entry | " + " | ".join(f"`{role.value}`" for role in ROLE_COLUMNS) + " | the owner |"
    lines = [head, "|---|" + "---|" * (len(ROLE_COLUMNS) + 1)]
    for entry in [*sorted(CAPABILITIES), PUBLIC, SIGNED_IN]:
        owner = "✓" if entry in OWNER_CAPABILITIES or entry in (PUBLIC, SIGNED_IN) else "—"
        lines.append(f"| `{entry}` | " + " | ".join(cell(entry, role) for role in ROLE_COLUMNS) + f" | {owner} |")
    lines += ["", "Entries decided by the policy or by the row itself:", ""]
    lines += [f"- `{key}`: {text}" for key, text in sorted(RULES.items())]
    lines += ["", "| route (API: method and path; page: URL name) | entry |", "|---|---|"]
    lines += [f"| `{route}` | `{entry}` |" for route, entry in ROUTES.items()]
    return "\n".join(lines) + "\n"
