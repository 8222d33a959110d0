"""Who may see what: the one place that decides it.

Content carries an access level (công khai / nội bộ / mật) and usually an owning org unit.
Every query for content goes through :func:`visible_q` (or :func:`filter_visible`), every single
object through :func:`can_view` / :func:`ensure_can_view`; the search index compiles the same
:meth:`AccessScope.rules` into its SQL.

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
class AccessRule:
    """Objects at ``level`` that this rule lets one see: all of them (``anywhere``), else those with no owning
    unit, with a unit whose path starts with one of ``paths``, or with a unit among ``unit_ids``."""

    level: str
    anywhere: bool = False
    paths: tuple[str, ...] = ()
    unit_ids: frozenset[int] = field(default_factory=frozenset)

    def admits(self, unit_path: str | None) -> bool:
        if self.anywhere or not unit_path or any(unit_path.startswith(p) for p in self.paths):
            return True
        return bool(self.unit_ids) and int(unit_path.rstrip(".").rsplit(".", 1)[-1]) in self.unit_ids


@dataclass(frozen=True)
class AccessScope:
    """What one user may see, computed once from their memberships.

    :meth:`rules` states it as data; :meth:`allows` (one object), :meth:`q` (a queryset) and the search
    index's SQL (``search.backends.sql.where``) are all compiled from those rules.
    """

    everything: bool = False
    member: bool = False
    internal_paths: tuple[str, ...] = ()
    internal_unit_ids: frozenset[int] = field(default_factory=frozenset)
    restricted_any: bool = False
    restricted_paths: tuple[str, ...] = ()

    def rules(self) -> tuple[AccessRule, ...]:
        """One rule per access level this scope sees at least somewhere (``everything``: see :attr:`everything`)."""
        if self.everything:
            return tuple(AccessRule(level.value, anywhere=True) for level in AccessLevel)
        rules = [AccessRule(AccessLevel.PUBLIC.value, anywhere=True)]
        if self.member:
            rules.append(AccessRule(AccessLevel.INTERNAL.value, paths=self.internal_paths,
                                    unit_ids=self.internal_unit_ids))
        if self.restricted_any:
            rules.append(AccessRule(AccessLevel.RESTRICTED.value, paths=self.restricted_paths))
        return tuple(rules)

    def allows(self, access: str, unit_path: str | None) -> bool:
        """Whether an object with this access level and owning-unit path may be seen."""
        if self.everything:
            return True
        return any(rule.level == access and rule.admits(unit_path) for rule in self.rules())

    def q(self, *, access_field: str = "access", unit_field: str = "org_unit") -> Q:
        """A filter for a queryset of objects with ``access_field`` and ``unit_field``."""
        if self.everything:
            return Q()
        parts = []
        for rule in self.rules():
            where = Q()
            if not rule.anywhere:
                where = Q(**{f"{unit_field}__isnull": True})
                for prefix in rule.paths:
                    where |= Q(**{f"{unit_field}__path__startswith": prefix})
                if rule.unit_ids:
                    where |= Q(**{f"{unit_field}_id__in": sorted(rule.unit_ids)})
            parts.append(Q(**{access_field: rule.level}) & where)
        result = parts[0]  # the public rule is always there
        for part in parts[1:]:
            result |= part
        return result

    def levels(self) -> list[str]:
        """Access levels this user can see at least somewhere (for facets and quick filters)."""
        return [rule.level for rule in self.rules()]


PUBLIC_SCOPE = AccessScope()


def scope_for(user: Any) -> AccessScope:
    """The :class:`AccessScope` of ``user`` (None or anonymous → the public)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return PUBLIC_SCOPE
    cached: AccessScope | None = getattr(user, "_sulieu_access_scope", None)
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


def filter_visible(user: Any, queryset: QuerySet[Any], *, access_field: str = "access",
                   unit_field: str = "org_unit") -> QuerySet[Any]:
    """``queryset`` narrowed to what ``user`` may see."""
    return queryset.filter(visible_q(user, access_field=access_field, unit_field=unit_field))


def subtree_paths(user: Any) -> tuple[str, ...] | None:
    """Tree paths of the units ``user`` belongs to (they see those units and everything under them);
    None when they see everything."""
    scope = scope_for(user)
    return None if scope.everything else scope.internal_paths
