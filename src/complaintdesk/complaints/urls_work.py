from django.urls import path

from complaintdesk.complaints import views_work

urlpatterns = [
    path("work-orders/", views_work.inbox_view, name="work-order-inbox"),
    path("work-orders/<int:order_id>/reply/", views_work.work_order_reply_view, name="work-order-reply"),
    path("work-orders/<int:order_id>/follow-up/", views_work.work_order_follow_up_view, name="work-order-follow-up"),
    path("supervision/", views_work.supervision_view, name="supervision"),
    path("notices/", views_work.notices_view, name="notices"),
]
