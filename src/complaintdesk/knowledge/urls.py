from django.urls import path

from complaintdesk.knowledge import views

urlpatterns = [
    path("knowledge/", views.article_list_view, name="knowledge-list"),
    path("knowledge/new/", views.article_edit_view, name="knowledge-new"),
    path("knowledge/<int:article_id>/", views.article_detail_view, name="knowledge-detail"),
    path("knowledge/<int:article_id>/edit/", views.article_edit_view, name="knowledge-edit"),
    path("complaints/<str:number>/knowledge-answer/", views.answer_view, name="knowledge-answer"),
]
