"""Back-office groups that mirror the roles, so Wagtail's own permission checks agree with orgs.policy."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from orgs.models import Role

# Django model permissions each role's group gets in the back office ("<app_label>.<verb>_<model>").
ROLE_MODEL_PERMISSIONS: dict[str, list[str]] = {
    "administrator": ["orgs.*", "archive.*", "sulieu_search.*", "django_tasks_database.view_dbtaskresult",
                      "wagtailcore.view_modellogentry"],
    "archivist": ["archive.*", "django_tasks_database.view_dbtaskresult", "orgs.view_orgunit"],
    "compiler": ["archive.view_*", "archive.change_item", "orgs.view_orgunit", "books.*"],
    "reviewer": ["archive.view_*", "orgs.view_orgunit", "books.view_*"],
    "editor": ["archive.view_*", "orgs.view_orgunit", "books.*"],
    "reporter": ["orgs.view_orgunit"],
    "reader": [],
}


def group_name(role: str) -> str:
    return "sulieu:" + role


def sync_role_groups() -> None:
    """Create or update one group per role with its permissions (idempotent, run after migrate)."""
    for role in Role.values:
        group, _ = Group.objects.get_or_create(name=group_name(role))
        wanted = Q(pk__in=[])
        patterns = ROLE_MODEL_PERMISSIONS.get(role, [])
        for pattern in patterns:
            app_label, codename = pattern.split(".", 1)
            if codename == "*":
                wanted |= Q(content_type__app_label=app_label)
            elif codename.endswith("*"):
                wanted |= Q(content_type__app_label=app_label, codename__startswith=codename[:-1])
            else:
                wanted |= Q(content_type__app_label=app_label, codename=codename)
        perms = list(Permission.objects.filter(wanted))
        if role != "reader":
            perms += list(Permission.objects.filter(content_type__app_label="wagtailadmin",
                                                    codename="access_admin"))
        group.permissions.set(perms)
