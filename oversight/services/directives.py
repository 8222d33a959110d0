"""Directives → tasks → per-unit progress, and the commendations register."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.audit import audit, diff, snapshot
from orgs.models import OrgUnit
from orgs.policy import ensure_can
from oversight.models import LEVEL_KINDS, Commendation, Directive, Task, TaskAssignment, TaskStatus
from oversight.selectors import valid_on_q
from oversight.services.reports import OnUnit


def _check(by: Any, unit: OrgUnit | None, action: str = "oversight.manage") -> None:
    if by is not None and unit is not None:
        ensure_can(by, action, OnUnit(unit))


def _links(evidence: Any) -> list[dict[str, str]]:
    """Evidence: a list of ``{"label", "url"}`` (archive items, books, articles, contests)."""
    result = []
    for entry in evidence or []:
        if isinstance(entry, str):
            entry = {"label": entry, "url": entry}
        url = str(entry.get("url", "")).strip()
        if url and not (url.startswith("/") or url.startswith("https://") or url.startswith("http://")):
            raise ValidationError("evidence link %r: use a site path or an http(s) URL" % url[:100])
        result.append({"label": str(entry.get("label", url))[:500], "url": url[:2000]})
    return result


def directive_get_or_create(*, symbol: str, title: str, issued_on: dt.date | None = None, item: Any = None,
                            implements: Directive | None = None, org_unit: OrgUnit | None = None,
                            access: str = "internal", note: str = "", by: Any = None) -> tuple[Directive, bool]:
    existing = Directive.objects.filter(symbol=symbol).first()
    if existing is not None:
        return existing, False
    _check(by, org_unit)
    with transaction.atomic():
        directive = Directive.objects.create(symbol=symbol, title=title, issued_on=issued_on, item=item,
                                             implements=implements, org_unit=org_unit, access=access, note=note)
        audit(directive, "wagtail.create", by=by, changes=diff({}, snapshot(directive)))
    return directive, True


def owner_units(*, root: OrgUnit, level: str = "", names: list[str] | None = None,
                on: dt.date | None = None) -> list[OrgUnit]:
    """Owner units of a task: every unit of ``level`` under ``root`` valid on ``on``, and/or units named."""
    on = on or timezone.localdate()
    base = OrgUnit.objects.filter(valid_on_q(on), path__startswith=root.path)
    found: dict[int, OrgUnit] = {}
    if level:
        found.update((u.pk, u) for u in base.filter(kind__in=LEVEL_KINDS[level]))
    for name in names or []:
        matches = list(base.filter(Q(name__iexact=name) | Q(code=name)))
        if not matches:
            raise ValidationError("no unit named %r under %s" % (name, root.name))
        found.update((u.pk, u) for u in matches)
    return sorted(found.values(), key=lambda u: u.path)


def task_create(*, directive: Directive, title: str, units: list[OrgUnit], owner_level: str = "",
                deadline: dt.date | None = None, indicator: str = "", target: Any = None,
                evidence: Any = None, by: Any = None) -> Task:
    """A task of a directive, with one assignment (status row) per owner unit."""
    _check(by, directive.org_unit)
    if not title.strip():
        raise ValidationError("a task needs a title")
    with transaction.atomic():
        task = Task.objects.create(directive=directive, title=title.strip(), owner_level=owner_level,
                                   deadline=deadline, indicator=indicator, target=target,
                                   evidence=_links(evidence))
        TaskAssignment.objects.bulk_create([TaskAssignment(task=task, org_unit=u) for u in units],
                                           ignore_conflicts=True)
        audit(task, "wagtail.create", by=by, changes=diff({}, snapshot(task)), data={"units": len(units)})
    return task


def assignment_update(*, assignment: TaskAssignment, by: Any = None, status: str | None = None,
                      value: Any = None, note: str | None = None, evidence: Any = None) -> TaskAssignment:
    """A unit reports progress on a task (its own reporters, or anyone managing above it)."""
    _check(by, assignment.org_unit, "oversight.report")
    if status is not None and status not in TaskStatus.values:
        raise ValidationError("status %r: expected one of %s" % (status, ", ".join(TaskStatus.values)))
    before = snapshot(assignment)
    with transaction.atomic():
        if status is not None:
            assignment.status = status
        if value is not None:
            assignment.value = value
        if note is not None:
            assignment.note = note
        if evidence is not None:
            assignment.evidence = _links(evidence)
        assignment.save()
        audit(assignment, "wagtail.edit", by=by, changes=diff(before, snapshot(assignment)))
    return assignment


def task_progress(task: Task, today: dt.date | None = None) -> dict[str, int]:
    """Counts of the task's units by status, with ``overdue`` = not done after the deadline."""
    today = today or timezone.localdate()
    counts = {s: 0 for s in TaskStatus.values}
    for status in task.assignments.values_list("status", flat=True):
        counts[status] += 1
    counts["overdue"] = (counts["not_started"] + counts["in_progress"]
                         if task.deadline and today > task.deadline else 0)
    return counts


def commendation_get_or_create(*, recipient: str, reason: str, kind: str = "award", decision_symbol: str = "",
                               decided_on: dt.date | None = None, org_unit: OrgUnit | None = None,
                               directive: Directive | None = None, evidence: Any = None, access: str = "public",
                               by: Any = None) -> tuple[Commendation, bool]:
    existing = Commendation.objects.filter(decision_symbol=decision_symbol, recipient=recipient).first()
    if existing is not None and decision_symbol:
        return existing, False
    _check(by, org_unit)
    with transaction.atomic():
        item = Commendation.objects.create(recipient=recipient, reason=reason, kind=kind,
                                           decision_symbol=decision_symbol, decided_on=decided_on,
                                           org_unit=org_unit, directive=directive, evidence=_links(evidence),
                                           access=access)
        audit(item, "wagtail.create", by=by, changes=diff({}, snapshot(item)))
    return item, True
