"""What the knowledge-base services take: a plain, immutable data class (the API parses into its own
shape, ``knowledge/schemas.py``, and hands this over)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, kw_only=True)
class ArticleInput:
    """An article as the caller gave it; ``version`` on an update is the version edited."""

    title_zh: str = ""
    title_en: str = ""
    body_zh: str = ""
    body_en: str = ""
    category: str = ""
    tags: list[str] = field(default_factory=list)
    status: str = "draft"
    version: int | None = None
