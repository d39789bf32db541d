"""The public one-page survey behind a signed link: no login, both languages, for phones first."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_http_methods

from complaintdesk.core.errors import ValidationFailed
from complaintdesk.followup.services import SurveyLinkRefused, survey_answer, survey_open

LANGUAGES = ("zh-hans", "en")


def _language(request: HttpRequest, default: str) -> str:
    chosen = request.POST.get("lang") or request.GET.get("lang") or ""
    if chosen in LANGUAGES:
        return chosen
    return "en" if default.lower().startswith("en") else "zh-hans"


@require_http_methods(["GET", "POST"])
def survey_view(request: HttpRequest, token: str) -> HttpResponse:
    default = request.GET.get("lang") or request.POST.get("lang") or ""
    try:
        survey = survey_open(token=token)
    except SurveyLinkRefused as exc:
        language = _language(request, default or (request.LANGUAGE_CODE or "zh-hans"))
        with translation.override(language):
            return render(request, "followup/survey_refused.html", {
                "reason": exc.reason, "message": str(exc.message), "lang": language, "token": token,
            }, status=exc.status)
    language = _language(request, survey.complaint.language)
    errors: dict[str, str] = {}
    values = {"satisfaction": "", "reason": ""}
    status = 200
    with translation.override(language):
        if request.method == "POST":
            values = {"satisfaction": request.POST.get("satisfaction", ""), "reason": request.POST.get("reason", "")}
            try:
                survey_answer(token=token, satisfaction=values["satisfaction"], reason=values["reason"])
            except ValidationFailed as exc:
                errors = {p.field: str(p.message) for p in exc.problems}
                status = 422
            except SurveyLinkRefused as exc:
                return render(request, "followup/survey_refused.html", {
                    "reason": exc.reason, "message": str(exc.message), "lang": language, "token": token,
                }, status=exc.status)
            else:
                return render(request, "followup/survey_thanks.html", {
                    "organisation": survey.policy.organisation.get(language), "lang": language, "token": token,
                })
        return render(request, "followup/survey.html", {
            "organisation": survey.policy.organisation.get(language),
            "number": survey.complaint.number,
            "result": survey.complaint.outcome_note,
            "points": [(p.code, p.label.get(language), p.reason_required) for p in survey.points],
            "errors": errors, "values": values, "lang": language, "token": token,
            "expires_at": survey.link.expires_at,
        }, status=status)
