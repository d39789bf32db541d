"""/api/v1/knowledge: write, edit (409 on a stale version), read with versions, search; 422 naming
the field in the caller's language; 403 for a reader who writes; and the answer from an article."""

from __future__ import annotations

from typing import Any

import pytest
from kbkit import EN_BODY, ZH_BODY
from workkit import register

from complaintdesk.knowledge.models import Article
from orgkit import install_org

pytestmark = pytest.mark.django_db

ARTICLE = {"title_zh": "机顶盒卡顿的处理", "title_en": "When the set-top box stutters", "body_zh": ZH_BODY,
           "body_en": EN_BODY, "tags": ["机顶盒"], "status": "published"}


def test_an_article_is_written_edited_read_and_searched(api: Any) -> None:
    created = api("specialist").post("/knowledge", ARTICLE)
    assert created.status_code == 201, created.json_body
    article = created.json_body
    assert article["version"] == 1 and article["author"] == "specialist" and len(article["versions"]) == 1
    edited = api("supervisor")._call("put", f"/knowledge/{article['id']}", {**ARTICLE, "title_en": "Stutter",
                                                                            "version": 1})
    assert edited.status_code == 200 and edited.json_body["version"] == 2
    assert [v["version"] for v in edited.json_body["versions"]] == [2, 1]
    stale = api("specialist")._call("put", f"/knowledge/{article['id']}", {**ARTICLE, "version": 1})
    assert stale.status_code == 409 and stale.json_body["error"] == "stale"
    found = api("agent").get("/knowledge?q=" + "卡顿")
    assert [a["id"] for a in found.json_body] == [article["id"]]
    assert api("agent").get("/knowledge?q=nothing-like-this").json_body == []
    assert api("agent").get(f"/knowledge/{article['id']}").json_body["title_en"] == "Stutter"


def test_bad_input_is_refused_naming_the_field_in_the_callers_language(api: Any) -> None:
    response = api("specialist", language="zh-hans").post("/knowledge", {**ARTICLE, "body_en": "", "status": "x"})
    assert response.status_code == 422
    assert {f["field"] for f in response.json_body["fields"]} == {"status"}
    response = api("specialist").post("/knowledge", {**ARTICLE, "body_en": ""})
    assert response.status_code == 422
    assert response.json_body["fields"] == [{"field": "body_en",
                                             "message": "A published article needs its text in English."}]
    assert not Article.objects.exists()


def test_a_reader_may_not_write_and_a_draft_is_not_shown_to_readers(api: Any) -> None:
    assert api("agent").post("/knowledge", ARTICLE).status_code == 403
    draft = api("specialist").post("/knowledge", {**ARTICLE, "status": "draft"}).json_body
    assert api("agent").get(f"/knowledge/{draft['id']}").status_code == 404
    assert api("specialist").get(f"/knowledge/{draft['id']}").status_code == 200


def test_a_no_fault_complaint_is_answered_and_closed_through_the_api(api: Any) -> None:
    iptv = install_org("iptv")
    article = api("specialist").post("/knowledge", ARTICLE).json_body
    complaint = register(iptv["agent"])
    missing = api("agent").post(f"/complaints/{complaint.number}/knowledge-answer",
                                {"article": 999999, "responsibility": "no_fault"})
    assert missing.status_code == 422 and missing.json_body["fields"][0]["field"] == "article"
    response = api("agent").post(f"/complaints/{complaint.number}/knowledge-answer",
                                 {"article": article["id"], "responsibility": "no_fault"})
    assert response.status_code == 201, response.json_body
    body = response.json_body
    assert (body["closed"], body["status"], body["channel"], body["article_version"]) == (True, "closed", "sms", 1)
    assert EN_BODY in body["text"] and complaint.number in body["text"]
