"""Login throttling that cannot be turned against users.

* Per user name (any name typed, known or not, so a lock says nothing about which accounts exist): after
  SULIEU_LOGIN_ATTEMPTS failures the name is locked for SULIEU_LOGIN_DELAY_SECONDS, doubling with every further
  failure up to SULIEU_LOGIN_MAX_DELAY_SECONDS.  While locked even the right password is refused and attempts are
  not counted (waiting out the delay always works); once the delay has passed the right password logs in and
  clears the count.
* Per address, only failures on *unknown* names count (someone guessing user names): after
  SULIEU_LOGIN_ADDRESS_ATTEMPTS the address is locked the same growing way — but a locked address never blocks the
  right password of a known account, so many people behind one proxy cannot be locked out by one of them, and a
  successful login does not clear the address count.
* Failures are forgotten SULIEU_LOGIN_WINDOW_SECONDS after the last one.  Every lock is logged (logger
  ``sulieu.auth`` and the audit log) and listed in the back office, where an administrator can lift it.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.audit import audit
from orgs.models import LoginThrottle

log = logging.getLogger("sulieu.auth")
Kind = LoginThrottle.Kind


@dataclass(frozen=True)
class Lock:
    kind: str
    until: dt.datetime

    @property
    def minutes(self) -> int:
        return max(1, -(-int((self.until - timezone.now()).total_seconds()) // 60))


def name_key(username: str) -> str:
    return username.strip().lower()[:150]


def is_known(username: str) -> bool:
    user_model = get_user_model()
    return user_model._default_manager.filter(**{user_model.USERNAME_FIELD + "__iexact": username.strip()}).exists()


def _active(kind: str, key: str, now: dt.datetime) -> Lock | None:
    until = (LoginThrottle.objects.filter(kind=kind, key=key, locked_until__gt=now)
             .values_list("locked_until", flat=True).first())
    return Lock(kind, until) if until else None


def name_lock(username: str) -> Lock | None:
    """The lock on this user name, if one runs now (it refuses even the right password)."""
    return _active(Kind.NAME, name_key(username), timezone.now()) if username else None


def address_lock(address: str) -> Lock | None:
    """The lock on this address, if one runs now (it refuses everything but a known account's right password)."""
    return _active(Kind.ADDRESS, address, timezone.now()) if address else None


def _delay(failures: int, allowed: int) -> dt.timedelta | None:
    if failures < allowed:
        return None
    seconds = settings.LOGIN_THROTTLE_DELAY * 2 ** min(failures - allowed, 20)
    return dt.timedelta(seconds=min(seconds, settings.LOGIN_THROTTLE_MAX_DELAY))


def _count(kind: str, key: str, allowed: int, now: dt.datetime) -> None:
    window = dt.timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW)
    with transaction.atomic():
        row, created = LoginThrottle.objects.select_for_update().get_or_create(
            kind=kind, key=key, defaults={"failures": 1, "last_failure_at": now})
        if not created:
            if row.last_failure_at < now - window:
                row.failures = 1
            else:
                row.failures = F("failures") + 1
            row.last_failure_at = now
            row.save(update_fields=["failures", "last_failure_at"])
            row.refresh_from_db(fields=["failures"])
        delay = _delay(row.failures, allowed)
        if delay is None:
            return
        row.locked_until = now + delay
        row.save(update_fields=["locked_until"])
    log.warning("login lock: %s %r locked for %d s after %d failures", kind, key, delay.total_seconds(),
                row.failures)
    audit(row, "orgs.login_lock", by=None, data={"kind": kind, "key": key, "failures": row.failures,
                                                  "seconds": int(delay.total_seconds())})


def record_failure(username: str, address: str, *, known: bool) -> None:
    now = timezone.now()
    if username:
        _count(Kind.NAME, name_key(username), settings.LOGIN_THROTTLE_ATTEMPTS, now)
    if address and not known:
        _count(Kind.ADDRESS, address, settings.LOGIN_THROTTLE_ADDRESS_ATTEMPTS, now)


def record_success(username: str) -> None:
    LoginThrottle.objects.filter(kind=Kind.NAME, key=name_key(username)).delete()


def lift(row: LoginThrottle, *, by: object) -> None:
    """An administrator lifts a lock: the row (its count too) goes, the audit log keeps who did it."""
    audit(row, "orgs.login_unlock", by=by, data={"kind": row.kind, "key": row.key, "failures": row.failures})
    log.warning("login lock lifted by %s: %s %r", by, row.kind, row.key)
    row.delete()
