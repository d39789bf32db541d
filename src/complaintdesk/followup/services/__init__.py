"""Follow-up services: return visits and their surveys; judgements and appeals."""

from complaintdesk.followup.services.dealer import return_visit_dealer_answered
from complaintdesk.followup.services.judgement import (
    JudgementInput,
    ResultInput,
    appeal_answer,
    appeal_file,
    appeal_review,
    judgement_record,
)
from complaintdesk.followup.services.survey import (
    SurveyLinkRefused,
    survey_answer,
    survey_link_send,
    survey_open,
)
from complaintdesk.followup.services.visits import (
    VisitInput,
    return_visit_assign,
    return_visit_record,
)

__all__ = [
    "JudgementInput",
    "ResultInput",
    "SurveyLinkRefused",
    "VisitInput",
    "appeal_answer",
    "appeal_file",
    "appeal_review",
    "judgement_record",
    "return_visit_assign",
    "return_visit_dealer_answered",
    "return_visit_record",
    "survey_answer",
    "survey_link_send",
    "survey_open",
]
