"""Login throttling: too many failed logins for one username or one address lock it out for a while."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def _keys(request: HttpRequest | None, username: str | None) -> list[str]:
    keys = []
    if username:
        keys.append("login-fail:user:" + hashlib.sha256(username.lower().encode()).hexdigest())
    if request is not None:
        addr = request.META.get("REMOTE_ADDR", "")
        keys.append("login-fail:addr:" + addr)
    return keys


def login_locked(request: HttpRequest | None, username: str | None) -> bool:
    limit = settings.LOGIN_THROTTLE_ATTEMPTS
    for key in _keys(request, username):
        # An address may be shared (an office behind one NAT or proxy): it gets a larger allowance.
        allowed = limit * 4 if key.startswith("login-fail:addr:") else limit
        if (cache.get(key) or 0) >= allowed:
            return True
    return False


class ThrottledModelBackend(ModelBackend):
    """ModelBackend that refuses to check passwords once the failure limit is reached."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any):
        if login_locked(request, username):
            # PermissionDenied stops Django from trying other backends: the login fails.
            raise PermissionDenied("too many failed logins")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        window = settings.LOGIN_THROTTLE_WINDOW
        for key in _keys(request, username):
            if user is None:
                cache.add(key, 0, window)
                try:
                    cache.incr(key)
                except ValueError:
                    cache.set(key, 1, window)
            else:
                cache.delete(key)
        return user
