"""The knowledge-base pages (browse and search, read, write and edit) and the complaint page's
"answer from an article" panel with the policy's reply script."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.services.lifecycle import is_owner_or_supervisor
from complaintdesk.complaints.services.replies import reply_script_text
from complaintdesk.core.errors import NotFound, PermissionDenied, ValidationFailed
from complaintdesk.core.i18n import current_language
from complaintdesk.core.pages import call_service, complaint_page, run_service
from complaintdesk.core.policies import active_policy, policy_of
from complaintdesk.knowledge import selectors, services
from complaintdesk.knowledge.inputs import ArticleInput
from complaintdesk.knowledge.models import Article
from complaintdesk.policy import rules
from complaintdesk.policy.schema import Policy


def _lang() -> str:
    return "en" if current_language().startswith("en") else "zh-hans"


def _category_label(policy: Policy, code: str) -> str:
    if not code:
        return _("Any category")
    return next((c.label.get(_lang()) for c in policy.categories if c.code == code), code.replace("_", " "))


def _row(article: Article, policy: Policy) -> dict[str, Any]:
    return {"id": article.pk, "title": article.title(_lang()), "category": _category_label(policy, article.category),
            "tags": article.tags, "status": article.get_status_display(), "published":
            article.status == Article.Status.PUBLISHED, "version": article.version, "updated_at": article.updated_at,
            "updated_by": article.updated_by.display_name()}


def _guarded(function: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return function(*args, **kwargs)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(str(exc.message)) from exc


@login_required
def article_list_view(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    category = request.GET.get("category", "").strip()
    status = request.GET.get("status", "").strip()
    articles = _guarded(selectors.article_list, request.user, query=query, category=category,
                        status=status if status in Article.Status.values else "")
    _version, policy = active_policy()
    return render(request, "knowledge/list.html", {
        "rows": [_row(a, policy) for a in articles[:200]], "q": query, "category": category, "status": status,
        "categories": [(c.code, c.label.get(_lang())) for c in policy.categories],
        "statuses": Article.Status.choices, "may_edit": selectors.may_edit(request.user),
    })


@login_required
def article_detail_view(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _guarded(selectors.article_get, request.user, article_id)
    _version, policy = active_policy()
    return render(request, "knowledge/detail.html", {
        "a": article, "row": _row(article, policy), "may_edit": selectors.may_edit(request.user),
        "versions": [{"version": v.version, "status": v.get_status_display(), "title": v.title_zh if
                      _lang() == "zh-hans" and v.title_zh else (v.title_en or v.title_zh),
                      "edited_by": v.edited_by.display_name(), "edited_at": v.edited_at}
                     for v in article.versions.select_related("edited_by")],
    })


def _form_values(request: HttpRequest) -> dict[str, Any]:
    post = request.POST
    return {"title_zh": post.get("title_zh", ""), "title_en": post.get("title_en", ""),
            "body_zh": post.get("body_zh", ""), "body_en": post.get("body_en", ""),
            "category": post.get("category", ""), "status": post.get("status", "draft"),
            "tags": [t.strip() for t in post.get("tags", "").replace("，", ",").split(",") if t.strip()],
            "version": int(post["version"]) if post.get("version", "").isdigit() else None}


@login_required
@require_http_methods(["GET", "POST"])
def article_edit_view(request: HttpRequest, article_id: int | None = None) -> HttpResponse:
    """Write a new article (no ``article_id``) or edit one; every save is a new version."""
    if not selectors.may_edit(request.user):
        raise DjangoPermissionDenied("knowledge")
    article = _guarded(selectors.article_get, request.user, article_id) if article_id is not None else None
    _version, policy = active_policy()
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = _form_values(request)
        try:
            if article is None:
                outcome = call_service(request, services.article_create, reraise=(ValidationFailed,),
                                       data=ArticleInput(**values), success=_("The article is saved."))
            else:
                outcome = call_service(request, services.article_update, reraise=(ValidationFailed,),
                                       article_id=article.pk, data=ArticleInput(**values),
                                       success=_("The article is saved."))
        except ValidationFailed as exc:
            errors = {p.field: str(p.message) for p in exc.problems}
        else:
            if outcome.ok:
                return redirect(reverse("knowledge-detail", args=[outcome.value.pk]))
        values["tags"] = ", ".join(values["tags"])
    elif article is not None:
        values = {name: getattr(article, name) for name in ("title_zh", "title_en", "body_zh", "body_en",
                                                             "category", "status")}
        values["tags"] = ", ".join(article.tags)
        values["version"] = article.version
    else:
        values = {"status": "draft", "tags": ""}
    return render(request, "knowledge/edit.html", {
        "article": article, "values": values, "errors": errors,
        "categories": [(c.code, c.label.get(_lang())) for c in policy.categories],
        "statuses": Article.Status.choices,
    }, status=422 if errors else 200)


def answer_panel_context(request: HttpRequest, complaint: Complaint) -> dict[str, Any] | None:
    """The complaint page's knowledge panel: the reply script, the articles sent so far and, for the
    owner or a supervisor of an open complaint, the form to send an article."""
    user = request.user
    if not selectors.may_read(user):
        return None
    policy = policy_of(complaint.policy_version)
    language = _lang()
    query = request.GET.get("kb", "").strip()
    may_answer = complaint.is_open and is_owner_or_supervisor(user, complaint)
    articles = selectors.article_list(user, query=query, category=complaint.category, status="published")
    no_fault = rules.knowledge_close_reasons(policy)
    return {
        "complaint": complaint, "query": query, "may_answer": may_answer,
        "reply_script": reply_script_text(policy, user=user, language=language, number=complaint.number),
        "articles": [{"id": a.pk, "title": a.title(language), "has_language": bool(a.body(complaint.language))}
                     for a in articles[:50]] if may_answer else [],
        "responsibilities": [{"code": r.code, "label": r.label.get(language), "closes": r.code in no_fault,
                              "description": r.description.get(language) if r.description else ""}
                             for r in policy.responsibility],
        "answers": [{"title": a.article.title(language), "version": a.article_version, "closed": a.closed,
                     "by": a.sent_by.display_name(), "at": a.sent_at,
                     "responsibility": next((r.label.get(language) for r in policy.responsibility
                                             if r.code == a.responsibility), "")}
                    for a in selectors.answers_of(complaint)],
        "customer_language": _("Chinese") if complaint.language.startswith("zh") else _("English"),
    }


@login_required
@require_POST
def answer_view(request: HttpRequest, number: str) -> HttpResponse:
    article = request.POST.get("article", "")
    return run_service(request, services.complaint_answer_from_article, back=complaint_page(number, "knowledge"),
                       number=number, article_id=int(article) if article.isdigit() else 0,
                       responsibility=request.POST.get("responsibility", ""),
                       success=_("The article was sent to the customer."))
