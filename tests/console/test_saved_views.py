"""Saved views of the complaint list: each user's own named filters, saved, replaced, deleted (with an
audit event each), shown on the list page; bad input names its field in the user's language."""

from __future__ import annotations

from typing import Any

import pytest

from complaintdesk.console.models import SavedView
from complaintdesk.console.services import clean_query, saved_view_delete, saved_view_save
from complaintdesk.core.errors import NotFound, ValidationFailed
from complaintdesk.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_only_the_lists_filters_are_kept() -> None:
    assert clean_query("?status=open&page=3&evil=1&owner=me&q=") == "status=open&owner=me"


def test_save_replace_and_delete(org: Any) -> None:
    view = saved_view_save(actor=org["specialist"], name=" Overdue of mine ", query="owner=me&due=overdue&page=2")
    assert (view.name, view.query) == ("Overdue of mine", "owner=me&due=overdue")
    again = saved_view_save(actor=org["specialist"], name="Overdue of mine", query="owner=me")
    assert again.pk == view.pk and SavedView.objects.get(pk=view.pk).query == "owner=me"
    saved_view_save(actor=org["supervisor"], name="Overdue of mine", query="due=overdue")
    assert SavedView.objects.count() == 2
    with pytest.raises(NotFound):
        saved_view_delete(actor=org["supervisor"], view_id=view.pk)  # another user's view
    saved_view_delete(actor=org["specialist"], view_id=view.pk)
    assert not SavedView.objects.filter(pk=view.pk).exists()
    actions = list(AuditEvent.objects.filter(action__startswith="saved_view.").values_list("action", flat=True))
    assert actions.count("saved_view.save") == 3 and actions.count("saved_view.delete") == 1


@pytest.mark.parametrize("name", ["", "   ", "x" * 81])
def test_a_view_needs_a_name_of_reasonable_length(org: Any, name: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        saved_view_save(actor=org["specialist"], name=name, query="owner=me")
    assert [p.field for p in caught.value.problems] == ["name"]
    assert not SavedView.objects.exists()


def test_the_list_shows_my_views_only(org: Any, client: Any) -> None:
    saved_view_save(actor=org["specialist"], name="Mine", query="owner=me")
    saved_view_save(actor=org["supervisor"], name="Theirs", query="due=overdue")
    client.force_login(org["specialist"])
    page = client.get("/complaints/").content.decode()
    assert 'href="/complaints/?owner=me" data-testid="saved-view">Mine<' in page and "Theirs" not in page


@pytest.mark.parametrize(("language", "text"), [("en", "Give the view a name."), ("zh-hans", "请为视图命名。")])
def test_saving_without_a_name_says_so(org: Any, client: Any, language: str, text: str) -> None:
    client.force_login(org["specialist"])
    response = client.post("/complaints/views/", {"name": "", "query": "owner=me"}, HTTP_ACCEPT_LANGUAGE=language,
                           follow=True)
    assert text in response.content.decode() and not SavedView.objects.exists()
