"""Who may see what: the one place that decides it.

Content carries an access level (công khai / nội bộ / mật) and usually an owning org unit.
Every query for content goes through :func:`visible_q` (or :func:`filter_visible`), every single
object through :func:`can_view` / :func:`ensure_can_view`; the search index applies the same
:class:`AccessScope` inside its SQL.

Rules
- public: everyone, including the anonymous public;
- internal: members of the owning unit or of a unit above or below it (a province's staff see
  their communes' internal material, a commune sees its province's); with no owning unit, any member;
- restricted: administrators and archivists of the owning unit or a unit above it; with no owning
  unit, any administrator or archivist; superusers see everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _


class AccessLevel(models.TextChoices):
    PUBLIC = "public", _("Công khai")
    INTERNAL = "internal", _("Nội bộ")
    RESTRICTED = "restricted", _("Mật")


RESTRICTED_ROLES = frozenset({"administrator", "archivist"})


@dataclass(frozen=True)
class AccessScope:
    """What one user may see, computed once from their memberships."""

    everything: bool = False
    member: bool = False
    internal_paths: tuple[str, ...] = ()
    internal_unit_ids: frozenset[int] = field(default_factory=frozenset)
    restricted_any: bool = False
    restricted_paths: tuple[str, ...] = ()

    def allows(self, access: str, unit_path: str | None) -> bool:
        """Whether an object with this access level and owning-unit path may be seen."""
        if self.everything or access == AccessLevel.PUBLIC:
            return True
        if access == AccessLevel.INTERNAL:
            if not self.member:
                return False
            if not unit_path:
                return True
            if any(unit_path.startswith(p) for p in self.internal_paths):
                return True
            unit_id = int(unit_path.rstrip(".").rsplit(".", 1)[-1])
            return unit_id in self.internal_unit_ids
        if access == AccessLevel.RESTRICTED:
            if not self.restricted_any:
                return False
            return not unit_path or any(unit_path.startswith(p) for p in self.restricted_paths)
        return False

    def q(self, *, access_field: str = "access", unit_field: str = "org_unit") -> Q:
        """A filter for a queryset of objects with ``access_field`` and ``unit_field``."""
        if self.everything:
            return Q()
        result = Q(**{access_field: AccessLevel.PUBLIC})
        if self.member:
            internal = Q(**{f"{unit_field}__isnull": True})
            for prefix in self.internal_paths:
                internal |= Q(**{f"{unit_field}__path__startswith": prefix})
            if self.internal_unit_ids:
                internal |= Q(**{f"{unit_field}_id__in": sorted(self.internal_unit_ids)})
            result |= Q(**{access_field: AccessLevel.INTERNAL}) & internal
        if self.restricted_any:
            restricted = Q(**{f"{unit_field}__isnull": True})
            for prefix in self.restricted_paths:
                restricted |= Q(**{f"{unit_field}__path__startswith": prefix})
            result |= Q(**{access_field: AccessLevel.RESTRICTED}) & restricted
        return result

    def levels(self) -> list[str]:
        """Access levels this user can see at least somewhere (for facets and quick filters)."""
        if self.everything:
            return [level.value for level in AccessLevel]
        levels = [AccessLevel.PUBLIC.value]
        if self.member:
            levels.append(AccessLevel.INTERNAL.value)
        if self.restricted_any:
            levels.append(AccessLevel.RESTRICTED.value)
        return levels


PUBLIC_SCOPE = AccessScope()


def scope_for(user: Any) -> AccessScope:
    """The :class:`AccessScope` of ``user`` (None or anonymous → the public)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return PUBLIC_SCOPE
    cached = getattr(user, "_sulieu_access_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = AccessScope(everything=True)
    else:
        from orgs.models import Membership

        rows = list(Membership.objects.filter(user=user).values_list("role", "unit__path"))
        internal_paths = tuple(sorted({path for _role, path in rows}))
        ancestors = {int(part) for path in internal_paths for part in path.split(".") if part}
        restricted_paths = tuple(sorted({path for role, path in rows if role in RESTRICTED_ROLES}))
        scope = AccessScope(
            member=bool(rows),
            internal_paths=internal_paths,
            internal_unit_ids=frozenset(ancestors),
            restricted_any=bool(restricted_paths),
            restricted_paths=restricted_paths,
        )
    user._sulieu_access_scope = scope
    return scope


def _object_access(obj: Any) -> tuple[str, str | None]:
    access = getattr(obj, "access", AccessLevel.PUBLIC)
    unit = getattr(obj, "org_unit", None)
    return access, (unit.path if unit is not None else None)


def can_view(user: Any, obj: Any) -> bool:
    """Whether ``user`` (None for the anonymous public) may see ``obj``."""
    access, unit_path = _object_access(obj)
    return scope_for(user).allows(access, unit_path)


def ensure_can_view(user: Any, obj: Any) -> None:
    """Raise Http404 (not 403: a restricted object's existence is itself restricted)."""
    if not can_view(user, obj):
        raise Http404


def visible_q(user: Any, *, access_field: str = "access", unit_field: str = "org_unit") -> Q:
    return scope_for(user).q(access_field=access_field, unit_field=unit_field)


def filter_visible(user: Any, queryset: QuerySet, *, access_field: str = "access",
                   unit_field: str = "org_unit") -> QuerySet:
    """``queryset`` narrowed to what ``user`` may see."""
    return queryset.filter(visible_q(user, access_field=access_field, unit_field=unit_field))


def subtree_paths(user: Any) -> tuple[str, ...] | None:
    """Tree paths of the units ``user`` belongs to (they see those units and everything under them);
    None when they see everything."""
    scope = scope_for(user)
    return None if scope.everything else scope.internal_paths
