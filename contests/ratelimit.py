"""Fixed-window request counters per taker token and per client IP, kept in a Django cache.

The cache alias ``contests`` (settings.py): Redis/Valkey when ``SULIEU_REDIS_URL`` is set, so that every
process on every machine shares the counters (a contest day, see the README); otherwise each process counts
in its own memory, so the limit applies per web process. Never the file cache: it lists its directory on
every write once it holds 300 entries, which a contest's per-taker counters reach in seconds.
"""

from __future__ import annotations

import os
import time
from typing import Any

from django.conf import settings
from django.core.cache import caches


def _cache() -> Any:
    alias = getattr(settings, "SULIEU_CONTEST_CACHE", "contests")
    return caches[alias if alias in settings.CACHES else "default"]


def limit(name: str, default: int) -> int:
    """Requests per minute allowed (0 = no limit), from settings or the environment, read when called."""
    value = getattr(settings, name, None)
    if value is None:
        raw = os.environ.get(name, "")
        value = int(raw) if raw.strip().lstrip("-").isdigit() else default
    return int(value)


def over_limit(kind: str, ident: str, per_minute: int) -> int | None:
    """Count a request; the count when it exceeds ``per_minute`` in the current minute, else None."""
    if per_minute <= 0:
        return None
    cache = _cache()
    key = "contests:rl:%s:%s:%d" % (kind, ident, int(time.time() // 60))
    if cache.add(key, 1, timeout=120):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=120)
            count = 1
    return count if count > per_minute else None


def first_time(key: str, seconds: int = 600) -> bool:
    """True once per ``seconds`` for a key (so a flood is flagged once, not on every refused request)."""
    return _cache().add("contests:once:" + key, 1, timeout=seconds)
