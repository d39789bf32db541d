from django.urls import path

from complaintdesk.followup.views import judgements, survey, visits

urlpatterns = [
    path("return-visits/", visits.return_visit_queue_view, name="return-visit-queue"),
    path("return-visits/<int:visit_id>/assign/", visits.return_visit_assign_view, name="return-visit-assign"),
    path("complaints/<str:number>/return-visits/", visits.return_visit_record_view, name="return-visit-record"),
    path("complaints/<str:number>/return-visits/survey-link/", visits.survey_link_view, name="return-visit-survey"),
    path("complaints/<str:number>/judgement/", judgements.judgement_record_view, name="judgement-record"),
    path("judgements/mine/", judgements.my_judgements_view, name="my-judgements"),
    path("judgements/<int:judgement_id>/", judgements.judgement_detail_view, name="judgement-detail"),
    path("judgements/<int:judgement_id>/appeal/", judgements.appeal_file_view, name="appeal-file"),
    path("judgements/<int:judgement_id>/review/", judgements.appeal_review_view, name="appeal-review"),
    path("judgements/<int:judgement_id>/answer/", judgements.appeal_answer_view, name="appeal-answer"),
    path("appeals/", judgements.appeal_inbox_view, name="appeal-inbox"),
    path("portal/survey/<str:token>/", survey.survey_view, name="survey"),
]
