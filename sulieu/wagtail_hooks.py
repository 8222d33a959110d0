"""Back office: background task status for staff, and field changes shown in the audit log."""

from __future__ import annotations

from typing import Any

from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import LogFormatter
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Staff with the view permission may look; nobody edits task records by hand."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user: Any, actions: Any) -> bool:
        return any(self.user_has_permission(user, a) for a in actions)


class TaskResultViewSet(ModelViewSet):
    model = DBTaskResult
    icon = "cogs"
    menu_label = _("Tác vụ nền")
    menu_order = 900
    add_to_admin_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["status"]  # never offered (read-only policy); Wagtail requires a form definition
    list_display = [
        Column("task_name", label=_("Tác vụ"), accessor="task_path"),
        Column("status", label=_("Trạng thái"), accessor="get_status_display"),
        Column("queue_name", label=_("Hàng đợi")),
        DateColumn("enqueued_at", label=_("Xếp hàng lúc")),
        DateColumn("finished_at", label=_("Xong lúc")),
    ]
    list_filter = ["status", "queue_name"]
    ordering = ["-enqueued_at"]
    inspect_view_fields = ["task_path", "status", "queue_name", "args_kwargs", "enqueued_at", "started_at",
                           "finished_at", "return_value", "exception_class_path", "traceback"]


register_permission_policy(DBTaskResult, ReadOnlyPolicy(DBTaskResult))


@hooks.register("register_admin_viewset")
def register_task_viewset() -> TaskResultViewSet:
    return TaskResultViewSet("tasks")


class ChangesFormatter(LogFormatter):
    """'Edited: name ("old" → "new"), …' so the Site history report says what changed."""

    def __init__(self, label: Any, message: Any) -> None:
        self.label = label
        self.message = message

    def format_message(self, log_entry: Any) -> Any:
        changes = (log_entry.data or {}).get("changes") or {}
        if not changes:
            return self.message
        parts = format_html_join(
            "; ", "{}: {} → {}",
            ((field, _short(values[0]), _short(values[1])) for field, values in list(changes.items())[:8]),
        )
        return format_html_join("", "{} — {}", [(self.message, parts)])


def _short(value: Any) -> str:
    text = "∅" if value in (None, "") else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


@hooks.register("register_log_actions", order=10)
def register_change_formatters(actions: Any) -> None:
    # After Wagtail's own registrations (order 0): same actions, messages that show the changes.
    for action, label, message in [
        ("wagtail.create", _("Create"), _("Created")),
        ("wagtail.edit", _("Edit"), _("Edited")),
        ("wagtail.delete", _("Delete"), _("Deleted")),
    ]:
        formatter = ChangesFormatter(label, message)
        actions.formatters[action] = formatter


@hooks.register("insert_global_admin_js")
def shared_behaviours_js() -> str:
    """data-print, data-check-all, data-width… in our back-office views (no inline handlers: CSP)."""
    return format_html('<script src="{}" defer></script>', static("sulieu/site.js"))
