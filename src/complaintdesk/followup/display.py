"""How a judgement's result reads, in a given language."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from complaintdesk.followup.models import Judgement
from complaintdesk.policy.schema import Judgement as JudgementRule

V = Judgement.Validity


def result_label(rule: JudgementRule, code: str, language: str) -> str:
    for option in (*rule.valid, *rule.invalid):
        if option.code == code:
            return option.label.get(language)
    return code


def result_text(rule: JudgementRule, result: dict[str, Any], language: str) -> str:
    with translation.override(language):
        validity = str(_("valid") if result.get("validity") == V.VALID else _("invalid"))
        fault = str(_("company at fault") if result.get("company_at_fault") else _("company not at fault"))
    return f"{validity} · {result_label(rule, str(result.get('category', '')), language)} · {fault}"
