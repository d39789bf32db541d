"""REST endpoints of the knowledge base (/api/v1/knowledge) and the answer from an article."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from complaintdesk.complaints.schemas import ErrorOut
from complaintdesk.knowledge import selectors, services
from complaintdesk.knowledge.inputs import ArticleInput
from complaintdesk.knowledge.models import Article
from complaintdesk.knowledge.schemas import ArticleAnswerIn, ArticleAnswerOut, ArticleIn, ArticleOut

router = Router(tags=["knowledge"])
ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut,
                                   422: ErrorOut}


def _out(article: Article, *, versions: bool = False) -> dict[str, Any]:
    return {
        "id": article.pk, "title_zh": article.title_zh, "title_en": article.title_en, "body_zh": article.body_zh,
        "body_en": article.body_en, "category": article.category, "tags": list(article.tags),
        "status": article.status, "version": article.version, "author": article.author.username,
        "created_at": article.created_at.isoformat(), "updated_by": article.updated_by.username,
        "updated_at": article.updated_at.isoformat(),
        "versions": [{"version": v.version, "status": v.status, "title_zh": v.title_zh, "title_en": v.title_en,
                      "edited_by": v.edited_by.username, "edited_at": v.edited_at.isoformat()}
                     for v in article.versions.select_related("edited_by")] if versions else [],
    }


@router.get("/knowledge", response={200: list[ArticleOut], **ERRORS},
            summary="Search the knowledge base (substring of either language's title, text or tags)")
def article_list(request: HttpRequest, q: str = "", category: str = "", status: str = "") -> list[dict[str, Any]]:
    return [_out(a) for a in selectors.article_list(request.user, query=q, category=category, status=status)[:200]]


@router.post("/knowledge", response={201: ArticleOut, **ERRORS}, summary="Write an article")
def article_create(request: HttpRequest, payload: ArticleIn) -> Status[dict[str, Any]]:
    article = services.article_create(actor=request.user, data=ArticleInput(**payload.model_dump()))
    return Status(201, _out(article, versions=True))


@router.get("/knowledge/{article_id}", response={200: ArticleOut, **ERRORS}, summary="An article and its versions")
def article_get(request: HttpRequest, article_id: int) -> dict[str, Any]:
    return _out(selectors.article_get(request.user, article_id), versions=True)


@router.put("/knowledge/{article_id}", response={200: ArticleOut, **ERRORS},
            summary="Edit an article (a new version; send the version you edited)")
def article_update(request: HttpRequest, article_id: int, payload: ArticleIn) -> dict[str, Any]:
    return _out(services.article_update(actor=request.user, article_id=article_id,
                                                        data=ArticleInput(**payload.model_dump())), versions=True)


@router.post("/complaints/{number}/knowledge-answer", response={201: ArticleAnswerOut, **ERRORS},
             summary="Send an article to the complaint's customer (a no-fault answer closes it as the policy says)")
def answer(request: HttpRequest, number: str, payload: ArticleAnswerIn) -> Status[dict[str, Any]]:
    done = services.complaint_answer_from_article(actor=request.user, number=number, article_id=payload.article,
                                                  responsibility=payload.responsibility)
    complaint = done.complaint
    complaint.refresh_from_db(fields=["status"])
    return Status(201, {"number": complaint.number, "article": done.article_id, "article_version": done.article_version,
                        "responsibility": done.responsibility, "closed": done.closed, "status": complaint.status,
                        "channel": done.message.channel if done.message else "", "text": done.body})
