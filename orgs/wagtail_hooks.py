"""Org units and memberships in the back office; every save goes through orgs.services."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from orgs import logins
from orgs.models import LoginThrottle, Membership, OrgUnit
from orgs.services import membership_remove, membership_set, orgunit_create, orgunit_update

UNIT_FIELDS = ["parent", "kind", "code", "name", "short_name", "valid_from", "valid_to", "replaced_by", "note"]


class OrgUnitCreateView(generic.CreateView):
    def save_instance(self) -> OrgUnit:
        data = {name: self.form.cleaned_data.get(name) for name in UNIT_FIELDS if name != "replaced_by"}
        data = {k: ("" if v is None and k in {"code", "short_name", "note"} else v) for k, v in data.items()}
        unit = orgunit_create(by=self.request.user, **data)
        if self.form.cleaned_data.get("replaced_by"):
            orgunit_update(unit=unit, replaced_by=self.form.cleaned_data["replaced_by"], by=self.request.user)
        return unit


class OrgUnitEditView(generic.EditView):
    def save_instance(self) -> OrgUnit:
        fresh = OrgUnit.objects.get(pk=self.object.pk)
        changed = {name: self.form.cleaned_data[name] for name in self.form.changed_data if name in UNIT_FIELDS}
        try:
            return orgunit_update(unit=fresh, by=self.request.user, **changed)
        except ValueError as exc:
            self.form.add_error("parent", str(exc))
            raise


class OrgUnitViewSet(ModelViewSet):
    model = OrgUnit
    icon = "site"
    menu_label = _("Đơn vị")
    form_fields = UNIT_FIELDS
    list_display = ["name", "kind", "code", "valid_from", "valid_to", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "code", "short_name"]
    ordering = ["path"]
    add_view_class = OrgUnitCreateView
    edit_view_class = OrgUnitEditView
    copy_view_enabled = False
    inspect_view_enabled = True


class MembershipCreateView(generic.CreateView):
    def save_instance(self) -> Membership:
        data = self.form.cleaned_data
        return membership_set(user=data["user"], unit=data["unit"], role=data["role"], by=self.request.user)


class MembershipDeleteView(generic.DeleteView):
    def delete_action(self) -> None:
        membership_remove(membership=self.object, by=self.request.user)


class MembershipPolicy(ModelPermissionPolicy):
    """A role is changed by removing it and giving another, so the audit log tells the story."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        return action != "change" and super().user_has_permission(user, action)


register_permission_policy(Membership, MembershipPolicy(Membership))


class MembershipViewSet(ModelViewSet):
    model = Membership
    icon = "group"
    menu_label = _("Phân công vai trò")
    form_fields = ["user", "unit", "role"]
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]
    add_view_class = MembershipCreateView
    delete_view_class = MembershipDeleteView
    copy_view_enabled = False


class LoginThrottleDeleteView(generic.DeleteView):
    """Deleting a row is how an administrator lifts a lock; it goes through the service (audited)."""

    def delete_action(self) -> None:
        logins.lift(self.object, by=self.request.user)


class LoginThrottlePolicy(ModelPermissionPolicy):
    """Rows are written by the login backend only: people may see and lift them, never add or edit."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        return action in {"view", "delete"} and bool(getattr(user, "is_superuser", False))


register_permission_policy(LoginThrottle, LoginThrottlePolicy(LoginThrottle))


class LoginThrottleViewSet(ModelViewSet):
    model = LoginThrottle
    icon = "lock"
    menu_label = _("Khóa đăng nhập")
    list_display = ["kind", "key", "failures", "last_failure_at", "locked_until"]
    list_filter = ["kind"]
    search_fields = ["key"]
    ordering = ["-last_failure_at"]
    form_fields = ["kind", "key"]
    delete_view_class = LoginThrottleDeleteView
    copy_view_enabled = False
    inspect_view_enabled = True


class OrgsGroup(ModelViewSetGroup):
    menu_label = _("Đơn vị & người dùng")
    menu_icon = "site"
    menu_order = 800
    items = (OrgUnitViewSet("orgunits"), MembershipViewSet("memberships"), LoginThrottleViewSet("logins"))


@hooks.register("register_log_actions")
def register_login_log_actions(actions: Any) -> None:
    actions.register_action("orgs.login_lock", _("Khóa đăng nhập"), _("Đã tạm khóa đăng nhập"))
    actions.register_action("orgs.login_unlock", _("Mở khóa đăng nhập"), _("Đã mở khóa đăng nhập"))


@hooks.register("register_admin_viewset")
def register_orgs() -> OrgsGroup:
    return OrgsGroup()
