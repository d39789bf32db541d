"""Services of the resolutions: plans, approvals and delegation, petty cash, the legal step."""

from complaintdesk.resolutions.services.approvals import approval_decide, delegation_create, delegation_revoke
from complaintdesk.resolutions.services.legal import (
    agreement_record,
    legal_advise,
    legal_file,
    legal_report,
    legal_request,
)
from complaintdesk.resolutions.services.petty_cash import petty_cash_countersign, petty_cash_pay
from complaintdesk.resolutions.services.plans import (
    plan_customer_decision,
    plan_implemented,
    plan_proposed,
    plan_submit,
)
from complaintdesk.resolutions.services.routing import CostLineInput, PlanInput, plan_check

__all__ = [
    "CostLineInput",
    "PlanInput",
    "agreement_record",
    "approval_decide",
    "delegation_create",
    "delegation_revoke",
    "legal_advise",
    "legal_file",
    "legal_report",
    "legal_request",
    "petty_cash_countersign",
    "petty_cash_pay",
    "plan_check",
    "plan_customer_decision",
    "plan_implemented",
    "plan_proposed",
    "plan_submit",
]
