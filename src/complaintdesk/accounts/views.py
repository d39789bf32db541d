"""The user's own profile page: name, roles, and the language of their pages and notices."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from complaintdesk.accounts.preferences import remember_language, user_set_language
from complaintdesk.accounts.roles import labels, roles_of
from complaintdesk.core.pages import call_service


@login_required
def profile_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        language = request.POST.get("language", "")
        response = redirect("profile")
        if call_service(request, user_set_language, language=language).ok:
            with translation.override(language):  # the confirmation reads in the language just chosen
                messages.success(request, _("Your language is saved."))
            remember_language(response, language)
        return response
    return render(request, "accounts/profile.html", {
        "roles": labels(roles_of(request.user)),
        "language": getattr(request.user, "language", ""),
        "choices": [("zh-hans", "中文"), ("en", "English")],
    })
