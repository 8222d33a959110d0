"""Errors, the organisers' permission and the per-process caches every contest write reads."""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from contests.models import (
    Contest,
    QuestionVersion,
    Round,
)

MANAGE = "contests.manage"


class ContestError(Exception):
    """A refused taker or organiser operation; ``kind`` maps to an HTTP status in the API."""

    status = 400

    def __init__(self, message: str, **payload: Any) -> None:
        super().__init__(message)
        self.message = message
        self.payload = payload


class Invalid(ContestError):
    status = 400


class NotFound(ContestError):
    status = 404


class Conflict(ContestError):
    status = 409


def ms(value: dt.datetime) -> int:
    return int(value.timestamp() * 1000)


# --- per-process caches ---------------------------------------------------------------------------

@dataclass(frozen=True)
class VersionData:
    id: int
    question_id: int
    text: str
    options: tuple[tuple[str, str], ...]  # (id, text)
    correct: frozenset[str]
    multiple: bool


_versions: dict[int, VersionData] = {}
_versions_lock = threading.Lock()


def version_data(ids: list[int]) -> dict[int, VersionData]:
    """Frozen question versions by id, from memory; missing ones are read in one query."""
    missing = [i for i in ids if i not in _versions]
    if missing:
        rows = QuestionVersion.objects.filter(pk__in=missing).values_list("pk", "question_id", "text", "options",
                                                                          "multiple")
        loaded = {
            pk: VersionData(pk, qid, text, tuple((o["id"], o["text"]) for o in options),
                            frozenset(o["id"] for o in options if o.get("correct")), multiple)
            for pk, qid, text, options, multiple in rows
        }
        with _versions_lock:
            if len(_versions) > 100_000:
                _versions.clear()
            _versions.update(loaded)
    return {i: _versions[i] for i in ids if i in _versions}


_contests: dict[str, tuple[float, Contest, list[Round]]] = {}
CONTEST_CACHE_SECONDS = 5.0


def contest_with_rounds(slug: str, *, fresh: bool = False) -> tuple[Contest, list[Round]]:
    """The contest and its rounds, cached for a few seconds per process (read on every start)."""
    hit = _contests.get(slug)
    if hit and not fresh and time.monotonic() - hit[0] < CONTEST_CACHE_SECONDS:
        return hit[1], hit[2]
    contest = Contest.objects.filter(slug=slug).first()
    if contest is None:
        raise NotFound("no contest %r" % slug)
    rounds = list(contest.rounds.order_by("opens_at"))
    _contests[slug] = (time.monotonic(), contest, rounds)
    return contest, rounds


def forget_contest(slug: str) -> None:
    _contests.pop(slug, None)


def round_named(rounds: list[Round], name: str | None, now: dt.datetime | None = None) -> Round:
    """The round called ``name``; without a name the open round, else the last one that opened."""
    if name:
        for r in rounds:
            if r.name == name:
                return r
        raise NotFound("no round %r" % name)
    now = now or timezone.now()
    current = [r for r in rounds if r.opens_at <= now < r.closes_at]
    if current:
        return current[0]
    opened = [r for r in rounds if r.opens_at <= now]
    if opened:
        return opened[-1]
    if rounds:
        return rounds[0]
    raise NotFound("the contest has no rounds")
