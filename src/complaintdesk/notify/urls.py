from django.urls import path

from complaintdesk.notify import views

urlpatterns = [
    path("notices/", views.notices_view, name="notices"),
]
