"""The user's own profile page: name, roles, the language of their pages and notices, and how each
group of notices reaches them (notify.preferences)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from complaintdesk.accounts.preferences import remember_language, user_set_language
from complaintdesk.accounts.roles import labels, roles_of
from complaintdesk.core.errors import ValidationFailed
from complaintdesk.core.pages import call_service
from complaintdesk.notify.models import NoticePreference
from complaintdesk.notify.preferences import GROUPS, OTHER, notice_preferences_save, preferences_of


def _context(request: HttpRequest, errors: dict[str, str] | None = None,
             posted: dict[str, str] | None = None) -> dict[str, Any]:
    rows = preferences_of(request.user)
    return {
        "roles": labels(roles_of(request.user)),
        "language": getattr(request.user, "language", ""),
        "choices": [("zh-hans", "中文"), ("en", "English")],
        "notice_rows": [{"row": row, "choice": (posted or {}).get(row.code, row.choice),
                         "error": (errors or {}).get(f"notices.{row.code}", "")} for row in rows],
        "notice_choices": NoticePreference.Choice.choices,
        "has_email": bool((getattr(request.user, "email", "") or "").strip()),
    }


@login_required
def profile_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and request.POST.get("form") == "notices":
        posted = {group.code: request.POST.get(f"notices.{group.code}", "") for group in (*GROUPS, OTHER)}
        try:
            outcome = call_service(request, notice_preferences_save, reraise=(ValidationFailed,),
                                   choices={code: choice for code, choice in posted.items() if choice},
                                   success=_("Your notice preferences are saved."))
        except ValidationFailed as exc:
            errors = {problem.field: str(problem.message) for problem in exc.problems}
            messages.error(request, str(exc.message))
            return render(request, "accounts/profile.html", _context(request, errors, posted), status=422)
        if outcome.ok:
            return redirect("profile")
        return render(request, "accounts/profile.html", _context(request), status=422)
    if request.method == "POST":
        language = request.POST.get("language", "")
        response = redirect("profile")
        if call_service(request, user_set_language, language=language).ok:
            with translation.override(language):  # the confirmation reads in the language just chosen
                messages.success(request, _("Your language is saved."))
            remember_language(response, language)
        return response
    return render(request, "accounts/profile.html", _context(request))
