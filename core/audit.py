"""Audit log of every change by staff: who, when, what changed.

Entries are Wagtail log entries (one log for the back office: Reports → Site history, and each
object's History), carrying ``{"changes": {field: [old, new]}}`` in their data. Service functions
call :func:`audit`; edits made through back-office forms get their field changes recorded by
:class:`AuditedEditAction`, registered for every model in :mod:`sulieu.apps`.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from wagtail.actions.edit import EditAction
from wagtail.log_actions import log


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, (list, tuple, set, frozenset)) or hasattr(value, "__iter__") and not isinstance(
        value, (bytes, dict)
    ):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """Concrete field values of ``obj`` (foreign keys as ids), JSON-safe."""
    names = list(fields) if fields is not None else [f.attname for f in obj._meta.concrete_fields]
    return {name: _jsonable(getattr(obj, name, None)) for name in names}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for every field whose value differs."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def audit(obj: models.Model, action: str, *, by: Any, changes: dict[str, list[Any]] | None = None,
          data: dict[str, Any] | None = None) -> None:
    """Record ``action`` on ``obj`` by ``by`` (a user, or None for the system)."""
    payload = dict(data or {})
    if changes:
        payload["changes"] = _jsonable(changes)
    user = by if getattr(by, "is_authenticated", False) else None
    log(instance=obj, action=action, user=user, data=payload, content_changed=bool(changes))


def form_changes(form: Any) -> dict[str, list[Any]]:
    changes = {}
    for name in getattr(form, "changed_data", []):
        old = form.initial.get(name)
        new = form.cleaned_data.get(name)
        changes[name] = [_jsonable(old), _jsonable(new)]
    return changes


class AuditedEditAction(EditAction):
    """Wagtail's edit action, with the changed fields and their old/new values in the log entry."""

    def _edit(self, skip_permission_checks: bool = False) -> Any:
        action: str | None = getattr(self, "log_action", None)  # set by Wagtail's EditAction (untyped)
        changes = form_changes(self.form) if self.form is not None else {}
        self.log_action = None
        try:
            with transaction.atomic():
                instance = super()._edit(skip_permission_checks=skip_permission_checks)
                if action:
                    log(instance=instance, action=action, user=self.user, revision=self.revision,
                        content_changed=self.content_changed, data={"changes": changes})
        finally:
            self.log_action = action
        return instance
