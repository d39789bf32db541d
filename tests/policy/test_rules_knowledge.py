"""The knowledge-base rules (policy/rules/knowledge.py): which responsibility is answered from the
knowledge base and closed, the words of a no-fault answer, the result notice and the reply script.
Pure: answered from the policy alone."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

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


def test_a_result_typed_as_a_sentence_does_not_end_the_notice_twice() -> None:
    phone = load_preset("phone_maker").policy  # "{result}。" and "{result}." in its templates
    zh = result_notice(phone, result="已为您免费更换主板。", language="zh-hans", number="TS-1")
    assert zh == "您好，关于投诉 TS-1：已为您免费更换主板。感谢您的反馈，如有需要请随时联系我们。"
    en = result_notice(phone, result="We replaced the mainboard free of charge. ", language="en", number="TS-1")
    assert en == ("Regarding complaint TS-1: We replaced the mainboard free of charge. Thank you for your feedback; "
                  "contact us any time if you need further support.")
    # a result without a final stop is left as typed
    short = result_notice(phone, result="已退款", language="zh-hans", number="TS-1")
    assert short is not None and short.startswith("您好，关于投诉 TS-1：已退款。感谢")
    iptv = load_preset("iptv").policy
    text = article_reply(iptv, responsibility="no_fault", article_text="重启机顶盒即可。", language="zh-hans",
                         number="C-1")
    assert text == "您好，关于您反映的问题（编号 C-1）：重启机顶盒即可。给您带来不便敬请谅解，感谢您的支持。"


# parsed once: parsing the preset inside the test took longer than hypothesis's deadline on a loaded machine
PHONE = load_preset("phone_maker").policy


@settings(deadline=None)
@given(st.text(min_size=1, max_size=40).filter(lambda t: t.rstrip() == t and t[-1] not in ".。"),
       st.sampled_from([".", "。", ". ", "。 "]), st.sampled_from(["zh-hans", "en"]))
def test_a_final_stop_typed_or_not_gives_the_same_result_notice(text: str, stop: str, language: str) -> None:
    phone = PHONE
    assert (result_notice(phone, result=text + stop, language=language, number="TS-1")
            == result_notice(phone, result=text, language=language, number="TS-1"))
