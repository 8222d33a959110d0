"""Oversight in the back office: report forms dashboard, directives and tasks, commendations."""

from __future__ import annotations

from typing import Any

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from oversight import urls as admin_urls
from oversight.models import Commendation, Directive, Task, TaskAssignment
from oversight.services import commendation_get_or_create, directive_get_or_create, owner_units, task_create


@hooks.register("register_log_actions")
def register_oversight_log_actions(actions: Any) -> None:
    actions.register_action("oversight.approve", _("Duyệt báo cáo"), _("Đã duyệt báo cáo"))
    actions.register_action("oversight.send_back", _("Trả lại báo cáo"), _("Đã trả lại báo cáo"))
    actions.register_action("oversight.reopen", _("Mở lại kỳ báo cáo"), _("Đã mở lại kỳ báo cáo"))
    actions.register_action("oversight.remind", _("Nhắc nộp báo cáo"), _("Đã nhắc nộp báo cáo"))


@hooks.register("register_admin_urls")
def register_oversight_admin_urls() -> list:
    return [path("oversight/", include((admin_urls.urlpatterns, "oversight_admin"), namespace="oversight_admin"))]


@hooks.register("register_admin_menu_item")
def register_reports_menu_item() -> MenuItem:
    return MenuItem(_("Báo cáo định kỳ"), reverse("oversight_admin:index"), icon_name="list-ul", order=260)


class DirectiveCreateView(generic.CreateView):
    def save_instance(self) -> Directive:
        data = dict(self.form.cleaned_data)
        directive, _created = directive_get_or_create(by=self.request.user, **data)
        return directive


class TaskCreateView(generic.CreateView):
    def save_instance(self) -> Task:
        data = self.form.cleaned_data
        directive = data["directive"]
        root = directive.org_unit
        units = owner_units(root=root, level=data.get("owner_level") or "") if root is not None else []
        return task_create(directive=directive, title=data["title"], units=units, by=self.request.user,
                           owner_level=data.get("owner_level") or "", deadline=data.get("deadline"),
                           indicator=data.get("indicator") or "", target=data.get("target"),
                           evidence=data.get("evidence"))


class CommendationCreateView(generic.CreateView):
    def save_instance(self) -> Commendation:
        item, _created = commendation_get_or_create(by=self.request.user, **self.form.cleaned_data)
        return item


class DirectiveViewSet(ModelViewSet):
    model = Directive
    icon = "doc-full"
    menu_label = _("Chỉ thị, kế hoạch")
    form_fields = ["symbol", "title", "issued_on", "item", "implements", "org_unit", "access", "note"]
    list_display = ["symbol", "title", "issued_on", "org_unit"]
    search_fields = ["symbol", "title"]
    add_view_class = DirectiveCreateView
    copy_view_enabled = False


class TaskViewSet(ModelViewSet):
    model = Task
    icon = "tasks"
    menu_label = _("Nhiệm vụ")
    form_fields = ["directive", "title", "owner_level", "deadline", "indicator", "target", "evidence"]
    list_display = ["title", "directive", "owner_level", "deadline", "indicator"]
    list_filter = ["directive"]
    add_view_class = TaskCreateView
    copy_view_enabled = False


class TaskAssignmentViewSet(ModelViewSet):
    model = TaskAssignment
    icon = "tick"
    menu_label = _("Tiến độ theo đơn vị")
    form_fields = ["status", "value", "note", "evidence"]
    list_display = ["task", "org_unit", "status", "value", "updated_at"]
    list_filter = ["status", "task"]
    add_view_enabled = False
    copy_view_enabled = False


class CommendationViewSet(ModelViewSet):
    model = Commendation
    icon = "pick"
    menu_label = _("Khen thưởng, mô hình")
    form_fields = ["kind", "decision_symbol", "decided_on", "recipient", "org_unit", "reason", "directive",
                   "evidence", "access"]
    list_display = ["decision_symbol", "decided_on", "recipient", "kind"]
    list_filter = ["kind"]
    search_fields = ["recipient", "decision_symbol", "reason"]
    add_view_class = CommendationCreateView
    copy_view_enabled = False


class OversightGroup(ModelViewSetGroup):
    items = (DirectiveViewSet, TaskViewSet, TaskAssignmentViewSet, CommendationViewSet)
    menu_icon = "tasks"
    menu_label = _("Chỉ đạo, kiểm tra")
    menu_order = 250


@hooks.register("register_admin_viewset")
def register_oversight_viewsets() -> Any:
    return OversightGroup()
