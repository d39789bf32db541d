from django.urls import path

from complaintdesk.followup import views, views_portal

urlpatterns = [
    path("return-visits/", views.return_visit_queue_view, name="return-visit-queue"),
    path("return-visits/<int:visit_id>/assign/", views.return_visit_assign_view, name="return-visit-assign"),
    path("complaints/<str:number>/return-visits/", views.return_visit_record_view, name="return-visit-record"),
    path("complaints/<str:number>/return-visits/survey-link/", views.survey_link_view, name="return-visit-survey"),
    path("complaints/<str:number>/judgement/", views.judgement_record_view, name="judgement-record"),
    path("judgements/mine/", views.my_judgements_view, name="my-judgements"),
    path("judgements/<int:judgement_id>/", views.judgement_detail_view, name="judgement-detail"),
    path("judgements/<int:judgement_id>/appeal/", views.appeal_file_view, name="appeal-file"),
    path("judgements/<int:judgement_id>/review/", views.appeal_review_view, name="appeal-review"),
    path("judgements/<int:judgement_id>/answer/", views.appeal_answer_view, name="appeal-answer"),
    path("appeals/", views.appeal_inbox_view, name="appeal-inbox"),
    path("portal/survey/<str:token>/", views_portal.survey_view, name="survey"),
]
