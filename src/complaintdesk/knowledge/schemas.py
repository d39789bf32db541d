"""Shapes of the knowledge base's API."""

from __future__ import annotations

from ninja import Field, Schema


class ArticleIn(Schema):
    """An article, in both languages. A published article needs the title and text in each."""

    title_zh: str = Field("", description="title in Chinese")
    title_en: str = Field("", description="title in English")
    body_zh: str = Field("", description="text in Chinese (what a Chinese-speaking customer is sent)")
    body_en: str = Field("", description="text in English (what an English-speaking customer is sent)")
    category: str = Field("", description="a complaint category code of the policy in force; empty: any category")
    tags: list[str] = Field(default_factory=list, description="words to find the article by")
    status: str = Field("draft", description="draft or published")
    version: int | None = Field(None, description="on an update: the version you edited (409 if it changed)")


class ArticleVersionOut(Schema):
    version: int
    status: str
    title_zh: str
    title_en: str
    edited_by: str
    edited_at: str


class ArticleOut(Schema):
    id: int
    title_zh: str
    title_en: str
    body_zh: str
    body_en: str
    category: str
    tags: list[str]
    status: str
    version: int
    author: str
    created_at: str
    updated_by: str
    updated_at: str
    versions: list[ArticleVersionOut] = Field(default_factory=list)


class ArticleAnswerIn(Schema):
    """Send an article to the complaint's customer, in the customer's language."""

    article: int = Field(..., description="the published article's id")
    responsibility: str = Field("", description="a responsibility code of the policy; one the policy answers "
                                                "from the knowledge base (no fault) closes the complaint")


class ArticleAnswerOut(Schema):
    number: str
    article: int
    article_version: int
    responsibility: str
    closed: bool
    status: str
    channel: str
    text: str
