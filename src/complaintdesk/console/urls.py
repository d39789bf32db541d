from django.urls import path

from complaintdesk.console import views

urlpatterns = [
    path("complaints/views/", views.saved_view_save_view, name="saved-view-save"),
    path("complaints/views/<int:view_id>/delete/", views.saved_view_delete_view, name="saved-view-delete"),
]
