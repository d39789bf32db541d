"""Each user's own language: set on the profile page, used for the pages from the moment they sign
in (and by notices rendered for the reader).

The pages follow Django's language cookie (``LocaleMiddleware``); signing in and saving the profile
set that cookie from the user's choice, and the language menu still switches for the moment.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from complaintdesk.accounts.models import User
from complaintdesk.core.audit import audit
from complaintdesk.core.errors import FieldProblem, ValidationFailed

LANGUAGES = {code for code, _name in User._meta.get_field("language").choices or []}


@transaction.atomic
def user_set_language(*, actor: Any, language: str) -> User:
    """The signed-in user chooses the language of their pages and notices."""
    if language not in LANGUAGES:
        raise ValidationFailed([FieldProblem("language", _("Choose Chinese or English."))])
    user = User.objects.select_for_update().get(pk=actor.pk)
    before = user.language
    if before != language:
        user.language = language
        user.save(update_fields=["language"])
        audit(actor=actor, action="user.language", obj=user, before={"language": before},
              after={"language": language})
    actor.language = language
    return user


def remember_language(response: HttpResponse, language: str) -> None:
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
                        path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
                        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                        samesite=settings.LANGUAGE_COOKIE_SAMESITE)


@receiver(user_logged_in)
def _on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and getattr(user, "language", "") in LANGUAGES:
        request.signed_in_language = user.language  # type: ignore[attr-defined]


class SignInLanguageMiddleware:
    """Sets the language cookie to the user's own language on the answer to signing in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        language = getattr(request, "signed_in_language", "")
        if language:
            remember_language(response, language)
        return response
