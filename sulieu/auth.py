"""The login backend: Django's ModelBackend behind orgs.logins' throttling (the rules are described there)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from core.http import client_address
from orgs import logins


class ThrottledModelBackend(ModelBackend):
    """Refuses while a lock runs; the lock is left on the request (`login_lock`) for the form's message."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any):
        name = username or ""
        address = client_address(request) if request is not None else ""
        lock = logins.name_lock(name)
        if lock is not None:
            self._refuse(request, lock)
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            logins.record_success(name)
            return user
        known = bool(name) and logins.is_known(name)
        logins.record_failure(name, address, known=known)
        # A locked address refuses everything except a known account's right password (handled above).
        lock = logins.name_lock(name) or logins.address_lock(address)
        if lock is not None:
            self._refuse(request, lock)
        return None

    @staticmethod
    def _refuse(request: HttpRequest | None, lock: logins.Lock) -> None:
        if request is not None:
            request.login_lock = lock  # type: ignore[attr-defined]
        # PermissionDenied stops Django from trying other backends: the login fails.
        raise PermissionDenied("login locked")
