"""Why a message was not delivered, in the reader's language.

A transport's error text is raw detail for logs and administrators (``Message.error``, in English,
with what the far side answered). What a person reads on a complaint's timeline or in a notice is
rendered from the failure's code and parameters (``Message.failure``, from
``notify.transports.TransportError``) when it is read (DESIGN.md rule 11)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _


def failure_text(failure: Mapping[str, Any]) -> str:
    """The failure as a sentence in the active language."""
    reason = failure.get("reason", "")
    if reason == "gateway_refused":
        return _("the SMS gateway refused the message (HTTP status %(code)s)") % {"code": failure.get("code", "")}
    if reason == "gateway_unreachable":
        return _("the SMS gateway could not be reached")
    if reason == "not_configured":
        return _("the SMS gateway is not configured")
    if reason == "smtp_unreachable":
        return _("the mail server could not be reached")
    if reason == "smtp_lost":
        return _("the connection to the mail server was lost before the message was handed over")
    if reason == "smtp_lost_after_handover":
        return _("the connection to the mail server was lost after the message was handed over")
    if reason == "smtp_refused":
        return _("the mail server refused the message (reply code %(code)s)") % {"code": failure.get("code", "")}
    if reason == "worker_stopped":
        return _("the worker stopped while it handed the message over")
    return _("the transport reported an error")


def failure_in(failure: Mapping[str, Any]) -> Callable[[str], str]:
    """The failure as a notice parameter: rendered in the language of whoever reads the notice."""
    def text(language: str) -> str:
        with translation.override(language):
            return failure_text(failure)
    return text
