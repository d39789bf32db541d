"""The unit tree in the Django admin. Creating, changing, moving and deleting a unit go through the
services (paths, audit, the same refusals as everywhere); a refusal comes back as admin messages and
nothing is saved. Memberships are edited inline on the unit and on the user; saving recomputes the
user's groups as the union of their roles (``memberships_saved``)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from complaintdesk.core.errors import DomainError, ValidationFailed
from complaintdesk.units import services
from complaintdesk.units.models import Membership, Unit


class Refused(Exception):
    """A service refused the change; the messages are on the request, the transaction rolls back."""


def _label(model: type[Model], field: str) -> str:
    """A field's verbose name (the admin form's label) for a problem the service reported on it."""
    try:
        found = model._meta.get_field(field)
    except FieldDoesNotExist:
        return field
    return str(capfirst(getattr(found, "verbose_name", field)))


def report_refusal(request: HttpRequest, exc: DomainError, model: type[Model] = Unit) -> None:
    if isinstance(exc, ValidationFailed) and exc.problems:
        for problem in exc.problems:
            messages.error(request, f"{_label(model, problem.field)}: {problem.message}")
    else:
        messages.error(request, str(exc.message))


class UnitMembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    """Who holds which role at this unit."""

    model = Membership
    fk_name = "unit"
    fields = ("user", "role")
    raw_id_fields = ("user",)
    extra = 1


class UserMembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    """The units this user belongs to, with a role per row (on the user's admin page)."""

    model = Membership
    fk_name = "user"
    fields = ("unit", "role")
    extra = 1


def membership_users(formsets: list[BaseInlineFormSet]) -> set[int]:  # type: ignore[type-arg]
    """The users whose memberships the inline formsets are about to change (before and after)."""
    ids: set[int] = set()
    for formset in formsets:
        if formset.model is not Membership:
            continue
        for form in formset.forms:
            if form.instance.pk is not None:
                ids.add(Membership.objects.filter(pk=form.instance.pk).values_list("user_id", flat=True).first() or 0)
            user = getattr(form, "cleaned_data", {}).get("user")
            if user is not None:
                ids.add(user.pk)
            elif form.instance.user_id:
                ids.add(form.instance.user_id)
    ids.discard(0)
    return ids


def save_memberships(request: HttpRequest, user_ids: set[int], save: Any) -> None:
    """Run ``save`` (the inlines' save) and then recompute and audit each affected user."""
    users = list(get_user_model().objects.filter(pk__in=user_ids))
    before = {user.pk: services.memberships_snapshot(user) for user in users}
    save()
    for user in users:
        services.memberships_saved(actor=request.user, user=user, before=before[user.pk])


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin[Unit]):
    list_display = ("tree_code", "name_zh", "name_en", "kind", "number_prefix", "policy_version", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name_zh", "name_en")
    ordering = ("path",)
    fields = ("code", "kind", "name_zh", "name_en", "parent", "number_prefix", "policy_version", "active")
    # a unit's own policy is installed by the policy service (it checks head office's fixed rules);
    # a unit becomes inactive by being deleted with history
    readonly_fields = ("policy_version", "active")
    inlines = [UnitMembershipInline]

    @admin.display(description=_("code"), ordering="path")
    def tree_code(self, obj: Unit) -> str:
        return "— " * obj.depth + obj.code

    def get_readonly_fields(self, request: HttpRequest, obj: Unit | None = None) -> Any:
        return (*self.readonly_fields, "code") if obj is not None else self.readonly_fields

    def get_actions(self, request: HttpRequest) -> Any:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one unit at a time, through the service
        return actions

    def changeform_view(self, request: HttpRequest, object_id: str | None = None, form_url: str = "",
                        extra_context: dict[str, Any] | None = None) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except Refused:
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request: HttpRequest, object_id: str,
                    extra_context: dict[str, Any] | None = None) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)
        except Refused:
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request: HttpRequest, obj: Unit, form: ModelForm, change: bool) -> None:  # type: ignore[type-arg]
        parent_code = obj.parent.code if obj.parent is not None else None
        try:
            if not change:
                created = services.unit_create(actor=request.user, code=obj.code, name_zh=obj.name_zh,
                                               name_en=obj.name_en, parent=parent_code, kind=obj.kind,
                                               number_prefix=obj.number_prefix)
                obj.pk, obj.path, obj.parent = created.pk, created.path, created.parent
                obj._state.adding = False
                obj._state.db = created._state.db
                return
            current = Unit.objects.get(pk=obj.pk)
            if {"name_zh", "name_en", "kind", "number_prefix"} & set(form.changed_data):
                services.unit_update(actor=request.user, code=current.code, name_zh=obj.name_zh,
                                     name_en=obj.name_en, kind=obj.kind, number_prefix=obj.number_prefix)
            if "parent" in form.changed_data:
                if parent_code is None:
                    raise ValidationFailed([], _("Every unit but head office has a parent unit."))
                services.unit_move(actor=request.user, code=current.code, parent=parent_code)
            obj.refresh_from_db()
        except DomainError as exc:
            report_refusal(request, exc)
            raise Refused from exc

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool) -> None:  # type: ignore[type-arg]
        save_memberships(request, membership_users(formsets),
                         lambda: super(UnitAdmin, self).save_related(request, form, formsets, change))

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        # the service decides (a unit with closed complaints is kept inactive): nothing is "protected" here
        deleted, counts, perms, _protected = super().get_deleted_objects(objs, request)
        return deleted, counts, perms, []

    def delete_model(self, request: HttpRequest, obj: Unit) -> None:
        try:
            services.unit_delete(actor=request.user, code=obj.code)
        except DomainError as exc:
            report_refusal(request, exc)
            raise Refused from exc

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Unit]) -> None:
        for unit in queryset:
            self.delete_model(request, unit)
