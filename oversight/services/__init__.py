"""Writes of the oversight app, one function per operation (see the modules by concern)."""

from oversight.services.directives import (
    assignment_update,
    commendation_get_or_create,
    directive_get_or_create,
    owner_units,
    task_create,
    task_progress,
)
from oversight.services.reports import (
    OnUnit,
    approval_chain,
    clean_values,
    period_is_open,
    period_reopen,
    report_approve,
    report_remind,
    report_send_back,
    report_submit,
    reportform_create,
    status_for,
)

__all__ = [
    "OnUnit", "approval_chain", "assignment_update", "clean_values", "commendation_get_or_create",
    "directive_get_or_create", "owner_units", "period_is_open", "period_reopen", "report_approve", "report_remind",
    "report_send_back", "report_submit", "reportform_create", "status_for", "task_create", "task_progress",
]
