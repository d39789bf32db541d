from django.urls import path

from complaintdesk.resolutions.views import approvals, legal, plans

urlpatterns = [
    path("complaints/<str:number>/plans/new/", plans.plan_form_view, name="plan-new"),
    path("complaints/<str:number>/plans/preview/", plans.plan_preview_view, name="plan-preview"),
    path("complaints/<str:number>/plans/precedents/", plans.precedents_view, name="plan-precedents"),
    path("plans/<int:plan_id>/customer-decision/", plans.plan_decision_view, name="plan-decision"),
    path("plans/<int:plan_id>/proposed/", plans.plan_proposed_view, name="plan-proposed"),
    path("plans/<int:plan_id>/implemented/", plans.plan_implemented_view, name="plan-implemented"),
    path("approvals/", approvals.inbox_view, name="approval-inbox"),
    path("approvals/<int:approval_id>/decide/", approvals.approval_decide_view, name="approval-decide"),
    path("approvals/delegations/", approvals.delegation_create_view, name="delegation-create"),
    path("approvals/delegations/<int:delegation_id>/revoke/", approvals.delegation_revoke_view,
         name="delegation-revoke"),
    path("budget/", approvals.budget_view, name="budget"),
    path("complaints/<str:number>/petty-cash/", approvals.petty_cash_pay_view, name="petty-cash-pay"),
    path("petty-cash/<int:payout_id>/countersign/", approvals.petty_cash_countersign_view,
         name="petty-cash-countersign"),
    path("complaints/<str:number>/legal/", legal.legal_request_view, name="legal-request"),
    path("legal/<int:consultation_id>/file/", legal.legal_file_view, name="legal-file"),
    path("legal/<int:consultation_id>/advice/", legal.legal_advise_view, name="legal-advise"),
    path("complaints/<str:number>/agreements/", legal.agreement_record_view, name="agreement-record"),
    path("agreements/<int:agreement_id>/file/", legal.agreement_file_view, name="agreement-file"),
    path("complaints/<str:number>/legal-report/", legal.legal_report_view, name="legal-report"),
]
