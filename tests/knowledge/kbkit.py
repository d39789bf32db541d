"""Shared helpers of the knowledge-base tests: an IPTV organisation (its no-fault complaints are
answered from the knowledge base) and a published bilingual article."""

from __future__ import annotations

from typing import Any

from complaintdesk.knowledge.inputs import ArticleInput
from complaintdesk.knowledge.models import Article

ZH_BODY = "机顶盒重启后即可恢复，如仍有问题请拨打客服热线。"
EN_BODY = "Restarting the set-top box restores the service; call our hotline if it does not."


def article_in(**overrides: Any) -> ArticleInput:
    values: dict[str, Any] = {"title_zh": "机顶盒卡顿的处理", "title_en": "When the set-top box stutters",
                              "body_zh": ZH_BODY, "body_en": EN_BODY, "tags": ["机顶盒", "restart"],
                              "status": "published"}
    values.update(overrides)
    return ArticleInput(**values)


def published(actor: Any, **overrides: Any) -> Article:
    from complaintdesk.knowledge.services import article_create

    return article_create(actor=actor, data=article_in(**overrides))
