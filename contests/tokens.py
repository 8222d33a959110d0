"""Taker tokens: ``<taker id>.<HMAC>``. Checking one costs an HMAC and no query; nothing secret is stored.

Taker ids are unique across contests, so the token names one taker of one contest. Registering again with
the same contact returns the same taker and therefore the same token.
"""

from __future__ import annotations

import hmac

from django.utils.crypto import salted_hmac

_SALT = "sulieu.contests.taker-token"
_SIG_LEN = 40


def _sig(taker_id: int) -> str:
    return salted_hmac(_SALT, str(taker_id), algorithm="sha256").hexdigest()[:_SIG_LEN]


def token_for(taker_id: int) -> str:
    return "%d.%s" % (taker_id, _sig(taker_id))


def verify(token: str) -> int | None:
    """The taker id a token names, or None when it is malformed or forged."""
    head, _, sig = (token or "").strip().partition(".")
    if not head.isdigit() or len(head) > 18 or len(sig) != _SIG_LEN:
        return None
    taker_id = int(head)
    return taker_id if hmac.compare_digest(sig, _sig(taker_id)) else None
