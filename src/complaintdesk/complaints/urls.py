from django.urls import path

from complaintdesk.complaints import views, views_work

urlpatterns = [
    path("", views.complaint_list_view, name="complaint-list"),
    path("new/", views.complaint_register_view, name="complaint-register"),
    path("new/facts/", views.complaint_register_facts, name="complaint-register-facts"),
    path("new/preview/", views.complaint_register_preview, name="complaint-register-preview"),
    path("queues/mine/", views_work.queue_view, {"kind": "mine"}, name="complaint-queue-mine"),
    path("queues/<str:kind>/", views_work.queue_view, name="complaint-queue"),
    path("attachments/<int:attachment_id>/", views_work.attachment_view, name="attachment"),
    path("<str:number>/", views.complaint_detail_view, name="complaint-detail"),
    path("<str:number>/reveal/", views.complaint_reveal_view, name="complaint-reveal"),
    path("<str:number>/amend/", views.complaint_amend_view, name="complaint-amend"),
    path("<str:number>/act/<str:name>/", views_work.complaint_action_view, name="complaint-act"),
    path("<str:number>/progress/", views_work.progress_add_view, name="complaint-progress"),
    path("<str:number>/work-orders/", views_work.work_order_dispatch_view, name="complaint-work-order"),
    path("<str:number>/contacts/", views_work.contact_view, name="complaint-contact"),
    path("<str:number>/unreachable/", views_work.unreachable_view, name="complaint-unreachable"),
]
