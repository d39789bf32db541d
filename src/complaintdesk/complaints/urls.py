"""Staff pages of the complaints app: the record and its work under /complaints/, the work-order
inbox and supervision at the top level."""

from django.urls import path

from complaintdesk.complaints.views import (
    console,
    contacts,
    customers,
    lifecycle,
    queues,
    record,
    registration,
    unit_transfer,
    work_orders,
)

urlpatterns = [
    path("complaints/", console.complaint_list_view, name="complaint-list"),
    path("complaints/bulk/", console.complaint_bulk_view, name="complaint-bulk"),
    path("complaints/new/", registration.complaint_register_view, name="complaint-register"),
    path("complaints/new/facts/", registration.complaint_register_facts, name="complaint-register-facts"),
    path("complaints/new/preview/", registration.complaint_register_preview, name="complaint-register-preview"),
    path("complaints/queues/mine/", queues.queue_view, {"kind": "mine"}, name="complaint-queue-mine"),
    path("complaints/queues/new/", queues.queue_view, {"kind": "new"}, name="complaint-queue-new"),
    path("complaints/queues/new/<str:number>/accept/", queues.queue_accept_view, name="complaint-queue-accept"),
    path("complaints/queues/<str:kind>/", queues.queue_view, name="complaint-queue"),
    path("complaints/attachments/<int:attachment_id>/", record.attachment_view, name="attachment"),
    path("complaints/<str:number>/", record.complaint_detail_view, name="complaint-detail"),
    path("complaints/<str:number>/transfer-unit/", unit_transfer.complaint_transfer_unit_view,
         name="complaint-transfer-unit"),
    path("complaints/<str:number>/reveal/", record.complaint_reveal_view, name="complaint-reveal"),
    path("complaints/<str:number>/amend/", record.complaint_amend_view, name="complaint-amend"),
    path("complaints/<str:number>/act/<str:name>/", lifecycle.complaint_action_view, name="complaint-act"),
    path("complaints/<str:number>/progress/", lifecycle.progress_add_view, name="complaint-progress"),
    path("complaints/<str:number>/work-orders/", work_orders.work_order_dispatch_view, name="complaint-work-order"),
    path("complaints/<str:number>/contacts/", contacts.contact_view, name="complaint-contact"),
    path("complaints/<str:number>/unreachable/", contacts.unreachable_view, name="complaint-unreachable"),
    path("customers/<int:customer_id>/", customers.customer_detail_view, name="customer-detail"),
    path("customers/<int:customer_id>/merge/", customers.customer_merge_view, name="customer-merge"),
    path("complaints/<str:number>/messages/<int:message_id>/resend/", contacts.message_resend_view,
         name="complaint-message-resend"),
    path("work-orders/", work_orders.inbox_view, name="work-order-inbox"),
    path("work-orders/<int:order_id>/reply/", work_orders.work_order_reply_view, name="work-order-reply"),
    path("work-orders/<int:order_id>/follow-up/", work_orders.work_order_follow_up_view,
         name="work-order-follow-up"),
    path("supervision/", queues.supervision_view, name="supervision"),
]
