"""What each role may do: the one policy module. Views, services, the API and tasks ask here."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from orgs.access import can_view

# Actions are "<app>.<verb>". Administrators may do everything within their units.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    "administrator": frozenset({"*"}),
    "archivist": frozenset({
        "archive.ingest", "archive.describe", "archive.correct_text", "archive.merge", "archive.delete",
        "archive.export", "archive.fixity", "archive.download_original", "search.reindex", "tasks.view",
    }),
    "compiler": frozenset({
        "archive.ingest", "archive.correct_text", "archive.download_original", "books.edit",
    }),
    "reviewer": frozenset({"books.review", "archive.download_original", "oversight.review"}),
    "editor": frozenset({"portal.edit", "portal.moderate", "books.edit", "archive.download_original"}),
    "reporter": frozenset({"oversight.report"}),
    "reader": frozenset({"archive.download_original"}),
}


def _role_allows(role: str, action: str) -> bool:
    actions = ROLE_ACTIONS.get(role, frozenset())
    return "*" in actions or action in actions


def can(user: Any, action: str, obj: Any = None) -> bool:
    """Whether ``user`` may do ``action`` (on ``obj``, judged by the object's owning unit).

    A role held in a unit applies to that unit and everything under it. With no object (or an
    object without a unit) any membership with a role that grants the action suffices.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if obj is not None and not can_view(user, obj):
        return False
    if user.is_superuser:
        return True
    unit = getattr(obj, "org_unit", None) if obj is not None else None
    memberships = _memberships(user)
    for role, path in memberships:
        if not _role_allows(role, action):
            continue
        if unit is None or unit.path.startswith(path):
            return True
    return False


def ensure_can(user: Any, action: str, obj: Any = None) -> None:
    if not can(user, action, obj):
        raise PermissionDenied(action)


def _memberships(user: Any) -> list[tuple[str, str]]:
    cached = getattr(user, "_sulieu_memberships", None)
    if cached is None:
        from orgs.models import Membership

        cached = list(Membership.objects.filter(user=user).values_list("role", "unit__path"))
        user._sulieu_memberships = cached
    return cached


def is_staff_user(user: Any) -> bool:
    """Back-office users: superusers or anyone with a role other than reader."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or any(role != "reader" for role, _path in _memberships(user))
