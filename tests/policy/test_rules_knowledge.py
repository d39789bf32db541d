"""The knowledge-base rules (policy/rules/knowledge.py): which responsibility is answered from the
knowledge base and closed, the words of a no-fault answer, the result notice and the reply script.
Pure: answered from the policy alone."""

from __future__ import annotations

from complaintdesk.policy.load import load_preset
from complaintdesk.policy.rules import (
    answered_and_closed,
    article_reply,
    knowledge_close_reasons,
    reply_script,
    responsibility_of,
    result_notice,
)


def test_the_iptv_no_fault_complaint_is_answered_and_closed_with_the_no_fault_reply() -> None:
    policy = load_preset("iptv").policy
    assert answered_and_closed(policy, "no_fault") and not answered_and_closed(policy, "company")
    assert not answered_and_closed(policy, "unknown") and responsibility_of(policy, "unknown") is None
    assert knowledge_close_reasons(policy) == frozenset({"no_fault"})
    text = article_reply(policy, responsibility="no_fault", article_text="重启机顶盒即可", language="zh-hans",
                         number="C-1")
    assert text == "您好，关于您反映的问题（编号 C-1）：重启机顶盒即可。给您带来不便敬请谅解，感谢您的支持。"
    # an answer for another responsibility is the article's own text
    assert article_reply(policy, responsibility="company", article_text="Restart", language="en") == "Restart"


def test_without_the_key_or_the_template_nothing_is_answered_and_closed() -> None:
    policy = load_preset("iptv").policy
    off = policy.model_copy(update={"responsibility": [item.model_copy(update={"answer_from_knowledge_base": False})
                                                       for item in policy.responsibility]})
    assert knowledge_close_reasons(off) == frozenset() and not answered_and_closed(off, "no_fault")
    silent = policy.model_copy(update={"messages": policy.messages.model_copy(update={"no_fault_reply": None})})
    assert not answered_and_closed(silent, "no_fault")
    assert article_reply(silent, responsibility="no_fault", article_text="Restart", language="en") == "Restart"
    assert knowledge_close_reasons(load_preset("phone_maker").policy) == frozenset()


def test_the_result_notice_and_the_reply_script_in_each_language() -> None:
    policy = load_preset("hypermarket").policy
    assert result_notice(policy, result="已退款", language="zh-hans", number="H-7") == (
        "您好，关于您的意见 H-7：已退款。感谢您对本店的支持。")
    assert result_notice(policy, result="Refunded", language="en", number="H-7") == (
        "Regarding your complaint H-7: Refunded. Thank you for your support of our store.")
    assert reply_script(policy, language="en", duty_manager="Li Na", number="H-7") == (
        "Hello, this is Li Na of customer service, about the matter you raised (H-7): first, our apologies and "
        "thanks for telling us.")
    mall = load_preset("shopping_mall").policy
    assert result_notice(mall, result="x", language="en") is None and reply_script(mall, language="en") is None
