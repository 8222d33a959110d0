"""Reads: who must report in a period, live completeness (a handful of queries, no nightly job)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from core.tree import ancestor_ids
from orgs.access import filter_visible, subtree_paths
from orgs.models import OrgUnit
from oversight.models import LEVEL_KINDS, Report, ReportForm, ReportStatus
from oversight.periods import Period, due_date, parse_period

UNIT_FIELDS = ("id", "code", "name", "kind", "path", "parent_id", "replaced_by__path")
KIND_LEVEL = {kind: level for level, kinds in LEVEL_KINDS.items() for kind in kinds}


def valid_on_q(day: dt.date) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def form_period(form: ReportForm, key: str) -> Period:
    """The period ``key`` of ``form`` (raises PeriodError for a key of another type)."""
    return parse_period(key, form.period_type, form.cutoff)


def roots_on(form: ReportForm, day: dt.date) -> list[OrgUnit]:
    """The form's root as it stood on ``day``: the units with the root's code valid then, and the units
    merged into them (so 2025-H1 of the new Khánh Hòa covers the old Khánh Hòa and Ninh Thuận)."""
    kind = form.org_unit.kind
    units = OrgUnit.objects.select_related("replaced_by")
    found: dict[int, OrgUnit] = {u.pk: u for u in units.filter(code=form.root_code, kind=kind)}
    frontier = list(found)
    while frontier:
        earlier = [u for u in units.filter(replaced_by_id__in=frontier, kind=kind) if u.pk not in found]
        found.update((u.pk, u) for u in earlier)
        frontier = [u.pk for u in earlier]
    roots = [u for u in found.values()
             if (u.valid_from is None or u.valid_from <= day) and (u.valid_to is None or u.valid_to >= day)]
    return sorted(roots, key=lambda u: u.path)


def expected_units(form: ReportForm, period: Period, roots: list[OrgUnit] | None = None) -> list[dict[str, Any]]:
    """Units of the form's level under its root, valid on the period's last day (one query)."""
    roots = roots_on(form, period.end) if roots is None else roots
    if not roots:
        return []
    under = Q()
    for root in roots:
        under |= Q(path__startswith=root.path)
    rows = (OrgUnit.objects.filter(under, valid_on_q(period.end), kind__in=LEVEL_KINDS[form.level])
            .order_by("path").values(*UNIT_FIELDS))
    return list(rows)


def is_expected(form: ReportForm, period: Period, unit: OrgUnit) -> bool:
    if unit.kind not in LEVEL_KINDS[form.level]:
        return False
    if (unit.valid_from and unit.valid_from > period.end) or (unit.valid_to and unit.valid_to < period.end):
        return False
    return any(unit.path.startswith(root.path) for root in roots_on(form, period.end))


def _visible(paths: tuple[str, ...] | None, row: dict[str, Any]) -> bool:
    """A unit's reports are seen by members of the unit or a unit above it, or above its successor."""
    if paths is None:
        return True
    successor = row.get("replaced_by__path") or ""
    return any(row["path"].startswith(p) or (successor and successor.startswith(p)) for p in paths)


@dataclass
class _Counts:
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    approved: int = 0
    returned: int = 0

    def add(self, report: tuple[str, bool] | None) -> None:
        self.expected += 1
        if report is None:
            self.missing += 1
            return
        status, on_time = report
        self.submitted += 1
        if on_time:
            self.on_time += 1
        else:
            self.late += 1
        if status == ReportStatus.APPROVED:
            self.approved += 1
        elif status == ReportStatus.RETURNED:
            self.returned += 1

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def unit_level(kind: str) -> str:
    return KIND_LEVEL.get(kind, kind)


def report_status(form: ReportForm, key: str, *, user: Any = None, unit_rows: bool = True) -> dict[str, Any]:
    """Completeness of ``form`` in period ``key``, as the issue's JSON contract; each unit's counts include
    its descendants. ``user`` (None = everything) narrows it to the units they may see."""
    period = form_period(form, key)
    roots = roots_on(form, period.end)
    expected = expected_units(form, period, roots)
    paths = subtree_paths(user) if user is not None else None
    if paths is not None:
        # a root merged into a unit the user belongs to (or under it) is theirs, with all below it
        paths = paths + tuple(root.path for root in roots if _visible(paths, {
            "path": root.path, "replaced_by__path": root.replaced_by.path if root.replaced_by_id else ""}))
    if paths is not None:
        expected = [row for row in expected if _visible(paths, row)]
    reports = dict(
        (unit_id, (status, on_time)) for unit_id, status, on_time in
        Report.objects.filter(form=form, period_key=key).values_list("org_unit_id", "status", "on_time")
    )
    root_ids = {root.pk for root in roots}
    # One pass over the expected units: each adds its state to its parent's tally; the inner nodes (a few
    # dozen provinces and districts) are then summed bottom-up, so the work is linear and cheap.
    states: dict[int, Counter] = {}
    leaf_state: dict[int, Any] = {}
    for row in expected:
        state = reports.get(row["id"])
        leaf_state[row["id"]] = state
        if row["id"] not in root_ids:
            tally = states.get(row["parent_id"])
            if tally is None:
                tally = states[row["parent_id"]] = Counter()
            tally[state] += 1
    total = _vector(Counter(leaf_state.values()))
    result: dict[str, Any] = {
        "form": form.slug,
        "period": {"key": key, "start": period.start.isoformat(), "end": period.end.isoformat(),
                   "due": due_date(period, form.due_days).isoformat()},
        **dict(zip(COUNT_KEYS, total, strict=True)),
        "units": [],
    }
    if not unit_rows:
        return result
    inner = {row["id"]: row for row in OrgUnit.objects.filter(id__in=list(states)).values(*UNIT_FIELDS)}
    above = set()
    for row in inner.values():
        chain = ancestor_ids(row["path"])[:-1]
        cut = next((i for i, uid in enumerate(chain) if uid in root_ids), None)
        if cut is not None:
            above.update(uid for uid in chain[cut:] if uid not in inner)
    if above:
        inner.update((row["id"], row) for row in OrgUnit.objects.filter(id__in=above).values(*UNIT_FIELDS))
    vectors = {uid: _vector(states.get(uid, Counter())) for uid in inner}
    for row in sorted(inner.values(), key=lambda r: -r["path"].count(".")):
        if row["id"] not in root_ids and row["parent_id"] in vectors:
            parent = vectors[row["parent_id"]]
            for i, value in enumerate(vectors[row["id"]]):
                parent[i] += value
    codes = {uid: row["code"] for uid, row in inner.items()}
    needed = {row["parent_id"] for row in inner.values() if row["parent_id"] and row["parent_id"] not in codes}
    if needed:
        codes.update(OrgUnit.objects.filter(id__in=needed).values_list("id", "code"))
    units = []
    leaf_vectors = {}
    for row in expected:
        state = leaf_state[row["id"]]
        vector = leaf_vectors.get(state)
        if vector is None:
            vector = leaf_vectors[state] = _vector(Counter([state]))
        units.append(_unit_row(row, codes, vector))
    for uid, row in inner.items():
        if uid in leaf_state or (paths is not None and not _visible(paths, row)):
            continue  # an ancestor above the user's own units: its totals would tell about others
        units.append(_unit_row(row, codes, vectors[uid]))
    units.sort(key=lambda u: u["path"])
    for unit in units:
        del unit["path"]
    result["units"] = units
    return result


COUNT_KEYS = ("expected", "submitted", "on_time", "late", "missing", "approved", "returned")


def _vector(tally: Counter) -> list[int]:
    """Counts in COUNT_KEYS order from a tally of report states ((status, on_time) or None = missing)."""
    c = _Counts()
    for state, n in tally.items():
        for _ in range(n):
            c.add(state)
    return [getattr(c, k) for k in COUNT_KEYS]


def _unit_row(row: dict[str, Any], codes: dict[int, str], vector: list[int]) -> dict[str, Any]:
    return {"code": row["code"], "name": row["name"], "level": unit_level(row["kind"]),
            "parent": codes.get(row["parent_id"]), "id": row["id"], "parent_id": row["parent_id"],
            "depth": row["path"].count("."), "path": row["path"], **dict(zip(COUNT_KEYS, vector, strict=True))}


def successor_on(unit: OrgUnit, day: dt.date) -> OrgUnit:
    """The unit that stands for ``unit`` on ``day`` (following mergers)."""
    seen = set()
    while unit.valid_to is not None and unit.valid_to < day and unit.replaced_by_id and unit.pk not in seen:
        seen.add(unit.pk)
        unit = unit.replaced_by
    return unit


def rollup_unit(unit: OrgUnit, day: dt.date) -> OrgUnit | None:
    """Where a report of ``unit`` is counted for comparisons on ``day``: the parent of its successor
    (a commune merged away on 1/7/2025 rolls up into its new commune's province)."""
    return successor_on(unit, day).parent


def reports_visible(user: Any, form: ReportForm | None = None) -> QuerySet[Report]:
    qs = Report.objects.select_related("form", "org_unit")
    if form is not None:
        qs = qs.filter(form=form)
    return filter_visible(user, qs)
