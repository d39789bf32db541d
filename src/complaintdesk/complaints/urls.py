from django.urls import path

from complaintdesk.complaints import views

urlpatterns = [
    path("", views.complaint_list_view, name="complaint-list"),
    path("new/", views.complaint_register_view, name="complaint-register"),
    path("new/facts/", views.complaint_register_facts, name="complaint-register-facts"),
    path("new/preview/", views.complaint_register_preview, name="complaint-register-preview"),
    path("<str:number>/", views.complaint_detail_view, name="complaint-detail"),
    path("<str:number>/reveal/", views.complaint_reveal_view, name="complaint-reveal"),
    path("<str:number>/amend/", views.complaint_amend_view, name="complaint-amend"),
]
