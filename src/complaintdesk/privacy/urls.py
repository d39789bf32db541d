from django.urls import path

from complaintdesk.privacy import views

urlpatterns = [
    path("privacy/", views.privacy_view, name="privacy"),
    path("privacy/search/", views.privacy_search_view, name="privacy-search"),
    path("privacy/export.<str:fmt>", views.privacy_export_view, name="privacy-export"),
    path("privacy/holds/", views.privacy_hold_view, name="privacy-hold"),
    path("privacy/holds/<int:hold_id>/release/", views.privacy_release_view, name="privacy-release"),
    path("privacy/erase/", views.privacy_erase_view, name="privacy-erase"),
]
