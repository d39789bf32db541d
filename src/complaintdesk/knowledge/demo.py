"""Demo data of the knowledge base: a few bilingual articles, written through the services (one of
them edited once, so its page shows two versions; one left as a draft)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from complaintdesk.accounts.models import User
from complaintdesk.knowledge.inputs import ArticleInput
from complaintdesk.knowledge.models import Article
from complaintdesk.knowledge.services import article_create, article_update
from complaintdesk.policy.schema import Policy

ARTICLES: tuple[dict[str, Any], ...] = (
    {"title_zh": "维修需要多长时间", "title_en": "How long a repair takes", "category": "sc_repair_duration",
     "body_zh": "常规维修在服务中心 3 个工作日内完成；需要寄修的配件到货后 2 个工作日内完成，期间可申请备用机。",
     "body_en": "A routine repair at the service centre takes 3 working days; when a part must be ordered, the "
                "repair is done 2 working days after it arrives, and a loan phone is available meanwhile.",
     "tags": ["维修", "repair", "备用机"]},
    {"title_zh": "系统升级后耗电快", "title_en": "Battery drains after a system update", "category": "product",
     "body_zh": "升级后的前两天手机会重建索引，耗电较快属正常现象；若第三天后仍异常，请到服务中心检测电池。",
     "body_en": "For two days after an update the phone rebuilds its indexes and uses more power; if the drain "
                "continues on the third day, please have the battery checked at a service centre.",
     "tags": ["电池", "battery", "升级"]},
    {"title_zh": "保修期外的收费标准", "title_en": "Charges outside the warranty", "category": "",
     "body_zh": "保修期外维修按公示价目收取配件费和人工费，维修前服务中心会先报价，经您同意后再维修。",
     "body_en": "Outside the warranty, parts and labour are charged at the published prices; the service centre "
                "quotes first and repairs only with your consent.",
     "tags": ["收费", "warranty"], "status": "draft"},
)


@transaction.atomic
def seed(policy: Policy) -> int:
    """Write the demo articles (only into an empty knowledge base); returns how many."""

    author = User.objects.filter(username="specialist", is_active=True).first()
    if author is None or Article.objects.exists():
        return 0
    categories = {category.code for category in policy.categories}
    made = []
    for values in ARTICLES:
        data = {**values, "status": values.get("status", "published"),
                "category": values["category"] if values["category"] in categories else ""}
        made.append((article_create(actor=author, data=ArticleInput(**data)), data))
    first, data = made[0]
    editor = User.objects.filter(username="supervisor", is_active=True).first() or author
    article_update(actor=editor, article_id=first.pk, data=ArticleInput(**{
        **data, "body_zh": data["body_zh"] + "如超出时限，我们会主动致电说明原因。",
        "body_en": data["body_en"] + " If it takes longer, we call you to explain why.", "version": first.version}))
    return len(made)
