"""The log-in form: says when an account or address is locked, and for how long."""

from __future__ import annotations

import math
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from complaintdesk.accounts.throttle import locked_until
from complaintdesk.core.client import client_address


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Your username and password didn't match. Please try again."),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        until = locked_until(str(username), client_address(self.request))
        if until is not None:
            minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
            raise forms.ValidationError(
                ngettext("Too many failed log-ins. Try again in %(minutes)d minute.",
                         "Too many failed log-ins. Try again in %(minutes)d minutes.", minutes)
                % {"minutes": minutes}, code="locked")
        return super().clean()
