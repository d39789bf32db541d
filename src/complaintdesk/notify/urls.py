from django.urls import path

from complaintdesk.notify import views

urlpatterns = [
    path("notices/", views.notices_view, name="notices"),
    path("notices/read-all/", views.notices_read_all_view, name="notices-read-all"),
]
