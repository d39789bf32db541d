"""Knowledge-base rules: which responsibilities are answered from the knowledge base and closed,
the words a no-fault answer and the result notice send, and the reply script an agent reads. Pure."""

from __future__ import annotations

import re

from complaintdesk.policy.rules.messages import render_message
from complaintdesk.policy.schema import Policy, Responsibility

STOPS = ".。"


def _without_double_stop(template: str, text: str) -> str:
    """``text`` without its final full stop when the template ends the sentence right after
    ``{result}`` ("{result}。", "{result}."): a note typed as a sentence does not end in "。。" or ".."."""
    if re.search(r"\{result\}[" + STOPS + "]", template):
        return text.rstrip().rstrip(STOPS)
    return text


def responsibility_of(policy: Policy, code: str) -> Responsibility | None:
    """The policy's responsibility ``code`` (None when the policy has no such code)."""
    return next((item for item in policy.responsibility if item.code == code), None)


def answered_and_closed(policy: Policy, responsibility: str) -> bool:
    """``responsibility.answer_from_knowledge_base``: a complaint judged ``responsibility`` (a no-fault
    one, IPTV 无责投诉) is answered from a knowledge-base article with ``messages.no_fault_reply`` and
    closed, instead of being worked."""
    item = responsibility_of(policy, responsibility)
    return item is not None and item.answer_from_knowledge_base and policy.messages.no_fault_reply is not None


def knowledge_close_reasons(policy: Policy) -> frozenset[str]:
    """The close reasons of complaints answered from the knowledge base: the codes of the
    responsibilities that are answered and closed."""
    return frozenset(item.code for item in policy.responsibility if answered_and_closed(policy, item.code))


def article_reply(policy: Policy, *, responsibility: str, article_text: str, language: str,
                  **values: object) -> str:
    """The message an article answer sends: for a no-fault complaint the policy's
    ``messages.no_fault_reply`` with the article's text as ``{result}``; otherwise the article's text."""
    template = policy.messages.no_fault_reply
    if template is None or not answered_and_closed(policy, responsibility):
        return article_text
    text = template.get(language)
    return render_message(text, result=_without_double_stop(text, article_text), **values)


def result_notice(policy: Policy, *, result: str, language: str, **values: object) -> str | None:
    """``messages.result_notice``: the written final reply (处理结果告知书) with the resolution note as
    ``{result}``; None when the policy has no result notice."""
    template = policy.messages.result_notice
    if template is None:
        return None
    text = template.get(language)
    return render_message(text, result=_without_double_stop(text, result), **values)


def reply_script(policy: Policy, *, language: str, **values: object) -> str | None:
    """``messages.reply_script``: what the agent says to the customer, with the placeholders known
    so far filled in; None when the policy has no script."""
    template = policy.messages.reply_script
    if template is None:
        return None
    return render_message(template.get(language), **values)
