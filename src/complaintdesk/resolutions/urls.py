from django.urls import path

from complaintdesk.resolutions import views, views_inbox, views_legal

urlpatterns = [
    path("complaints/<str:number>/plans/new/", views.plan_form_view, name="plan-new"),
    path("complaints/<str:number>/plans/preview/", views.plan_preview_view, name="plan-preview"),
    path("complaints/<str:number>/plans/precedents/", views.precedents_view, name="plan-precedents"),
    path("plans/<int:plan_id>/customer-decision/", views.plan_decision_view, name="plan-decision"),
    path("plans/<int:plan_id>/proposed/", views.plan_proposed_view, name="plan-proposed"),
    path("plans/<int:plan_id>/implemented/", views.plan_implemented_view, name="plan-implemented"),
    path("approvals/", views_inbox.inbox_view, name="approval-inbox"),
    path("approvals/<int:approval_id>/decide/", views_inbox.approval_decide_view, name="approval-decide"),
    path("approvals/delegations/", views_inbox.delegation_create_view, name="delegation-create"),
    path("approvals/delegations/<int:delegation_id>/revoke/", views_inbox.delegation_revoke_view,
         name="delegation-revoke"),
    path("budget/", views_inbox.budget_view, name="budget"),
    path("complaints/<str:number>/petty-cash/", views_inbox.petty_cash_pay_view, name="petty-cash-pay"),
    path("petty-cash/<int:payout_id>/countersign/", views_inbox.petty_cash_countersign_view,
         name="petty-cash-countersign"),
    path("complaints/<str:number>/legal/", views_legal.legal_request_view, name="legal-request"),
    path("legal/<int:consultation_id>/file/", views_legal.legal_file_view, name="legal-file"),
    path("legal/<int:consultation_id>/advice/", views_legal.legal_advise_view, name="legal-advise"),
    path("complaints/<str:number>/agreements/", views_legal.agreement_record_view, name="agreement-record"),
    path("agreements/<int:agreement_id>/file/", views_legal.agreement_file_view, name="agreement-file"),
    path("complaints/<str:number>/legal-report/", views_legal.legal_report_view, name="legal-report"),
]
