from django.urls import path

from complaintdesk.portal import views, views_staff

urlpatterns = [
    path("portal/", views.home_view, name="portal-home"),
    path("portal/new/", views.submit_view, name="portal-submit"),
    path("portal/received/<str:number>/", views.received_view, name="portal-received"),
    path("portal/track/", views.track_view, name="portal-track"),
    path("portal/track/code/", views.code_view, name="portal-code"),
    path("portal/leave/", views.leave_view, name="portal-leave"),
    path("portal/c/<str:number>/", views.complaint_view, name="portal-complaint"),
    path("portal/c/<str:number>/add/", views.add_view, name="portal-add"),
    path("portal/c/<str:number>/decide/", views.decide_view, name="portal-decide"),
    path("portal/c/<str:number>/letters/<str:kind>.pdf", views.letter_view, name="portal-letter"),
    path("portal/c/<str:number>/files/<int:attachment_id>/", views.attachment_view, name="portal-attachment"),
    path("complaints/<str:number>/files/<int:attachment_id>/", views_staff.staff_attachment_view,
         name="complaint-attachment"),
]
