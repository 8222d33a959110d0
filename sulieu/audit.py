"""Moved to :mod:`core.audit`; these names stay importable for code written against ``sulieu.audit``."""

from core.audit import AuditedEditAction, audit, diff, form_changes, snapshot

__all__ = ["AuditedEditAction", "audit", "diff", "form_changes", "snapshot"]
