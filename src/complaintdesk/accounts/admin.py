from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.forms import ModelForm
from django.http import HttpRequest

from complaintdesk.accounts.models import ApiToken, Department, User
from complaintdesk.accounts.roles import has_role
from complaintdesk.core.admin_audit import AuditedAdminMixin
from complaintdesk.policy.schema import Role
from complaintdesk.units.admin import UserMembershipInline, membership_users, save_memberships


def _admin_only(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and has_role(user, Role.ADMIN))


admin.site.has_permission = _admin_only  # type: ignore[method-assign]
admin.site.site_header = "complaintdesk"


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):  # type: ignore[type-arg]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("complaintdesk", {"fields": ("department", "staff_number", "phone", "language", "away_until")}),
    )
    list_display = ("username", "first_name", "last_name", "department", "is_active")
    list_filter = ("groups", "department", "is_active")
    # the units the user belongs to; saving makes the groups the union of the roles held in them
    inlines = [UserMembershipInline]

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool) -> None:  # type: ignore[type-arg]
        save_memberships(request, {form.instance.pk, *membership_users(formsets)},
                         lambda: super(UserAdmin, self).save_related(request, form, formsets, change))


@admin.register(Department)
class DepartmentAdmin(AuditedAdminMixin, admin.ModelAdmin[Department]):
    list_display = ("code", "name_zh", "name_en", "kind", "active")


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdminMixin, admin.ModelAdmin[ApiToken]):
    list_display = ("prefix", "user", "name", "created_at", "expires_at", "last_used_at", "revoked")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at", "user")


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AuditedAdminMixin, BaseGroupAdmin):
    pass
