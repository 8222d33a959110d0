"""Recurring archive work without a separate scheduler: the fixity check re-books itself.

`sulieu worker` calls :func:`ensure_fixity_scheduled` when it starts; each run of the check books the
next one ``SULIEU_FIXITY_INTERVAL_DAYS`` later (default 7). There is at most one booked check.
"""

from __future__ import annotations

import datetime as dt

from archive.queue import FIXITY_CHECK as FIXITY_TASK_PATH
from archive.runner import recovery_book
from archive.tasks import fixity_book, fixity_interval


def ensure_fixity_scheduled(*, first_run: dt.datetime | None = None) -> bool:
    """Book the next fixity check unless one is already waiting; True when one was booked."""
    return fixity_book(first_run=first_run)


def ensure_recovery_scheduled() -> bool:
    """Book the recurring recovery of work that killed workers held (SULIEU_RECOVER_SECONDS)."""
    return recovery_book()


__all__ = ["FIXITY_TASK_PATH", "ensure_fixity_scheduled", "ensure_recovery_scheduled", "fixity_interval"]
