"""Leaderboards and participation, read from the attempts of a round.

Ranking, per round, on each taker's best attempt: higher score; then smaller |prediction − actual| (once
the actual value is set); then shorter duration; then earlier submission (server time, milliseconds).
Attempts that tie on all of these share a rank (1, 1, 3…). The attempts are read in ranking order through
one index, so the top N costs about N rows, not the whole round.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q

from contests.models import Attempt, Round
from contests.services import finalise_expired
from core.tree import ancestor_ids
from orgs.models import OrgUnit


def _order(round_: Round) -> list[Any]:
    order: list[Any] = [F("score").desc()]
    if round_.actual_value is not None:
        order.append(F("prediction_error").asc(nulls_last=True))
    order += [F("duration_ms").asc(), F("submitted_ms").asc(), F("pk").asc()]
    return order


def _key(round_: Round, row: dict) -> tuple:
    err = row["prediction_error"] if round_.actual_value is not None else 0
    return (-row["score"], err is None, err or 0, row["duration_ms"], row["submitted_ms"])


FIELDS = ("pk", "taker_id", "score", "correct", "prediction", "prediction_error", "duration_ms", "submitted_ms",
          "submitted_at", "taker__name", "taker__unit_code")


def _best_attempts(round_: Round) -> Iterator[dict]:
    """Each taker's best attempt, best first (attempts are read in ranking order; a taker's first is best)."""
    seen: set[int] = set()
    qs = (Attempt.objects.filter(round=round_, submitted_at__isnull=False).order_by(*_order(round_))
          .values(*FIELDS))
    for row in qs.iterator(chunk_size=2000):
        if row["taker_id"] in seen:
            continue
        seen.add(row["taker_id"])
        yield row


@dataclass
class Entry:
    rank: int
    row: dict

    def as_dict(self) -> dict[str, Any]:
        r = self.row
        return {"rank": self.rank, "taker_id": r["taker_id"], "name": r["taker__name"],
                "unit_code": r["taker__unit_code"], "score": r["score"], "prediction": r["prediction"],
                "submitted_at": r["submitted_at"].isoformat(timespec="milliseconds"),
                "duration_s": round(r["duration_ms"] / 1000, 3)}


def leaderboard(round_: Round, *, limit: int = 100) -> list[Entry]:
    finalise_expired(round_id=round_.pk)
    entries: list[Entry] = []
    previous = None
    for position, row in enumerate(_best_attempts(round_), start=1):
        if len(entries) >= limit:
            break
        key = _key(round_, row)
        rank = entries[-1].rank if entries and key == previous else position
        entries.append(Entry(rank, row))
        previous = key
    return entries


def taker_standing(round_: Round, taker_id: int) -> dict[str, Any] | None:
    """The taker's best attempt and rank: 1 + the number of takers whose best attempt is strictly better."""
    mine = (Attempt.objects.filter(round=round_, taker_id=taker_id, submitted_at__isnull=False)
            .order_by(*_order(round_)).values(*FIELDS).first())
    if mine is None:
        return None
    score, dur, sub = mine["score"], mine["duration_ms"], mine["submitted_ms"]
    base = Attempt.objects.filter(round=round_, submitted_at__isnull=False).exclude(taker_id=taker_id)
    then = Q(duration_ms__lt=dur) | Q(duration_ms=dur, submitted_ms__lt=sub)
    if round_.actual_value is not None:
        err = mine["prediction_error"]
        if err is None:
            closer = Q(prediction_error__isnull=False)
            same = Q(prediction_error__isnull=True)
        else:
            closer = Q(prediction_error__lt=err)
            same = Q(prediction_error=err)
        better = Q(score__gt=score) | Q(score=score) & (closer | same & then)
    else:
        better = Q(score__gt=score) | Q(score=score) & then
    ahead = base.filter(better).values("taker_id").distinct().count()
    return {"rank": ahead + 1, **Entry(ahead + 1, mine).as_dict()}


def participation(round_: Round) -> dict[str, Any]:
    """Takers and attempts per unit, rolled up the org-unit tree (a province row sums its communes)."""
    finalise_expired(round_id=round_.pk)
    per_unit = (Attempt.objects.filter(round=round_).values("taker__unit_id")
                .annotate(attempts=Count("pk"), takers=Count("taker_id", distinct=True)))
    direct = {row["taker__unit_id"]: (row["takers"], row["attempts"]) for row in per_unit}
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=[k for k in direct if k is not None])}
    totals: dict[int, list[int]] = {}
    for unit_id, (takers, attempts) in direct.items():
        unit = units.get(unit_id)
        if unit is None:
            continue
        for ancestor in ancestor_ids(unit.path):
            t = totals.setdefault(ancestor, [0, 0])
            t[0] += takers
            t[1] += attempts
    for unit in OrgUnit.objects.filter(pk__in=[k for k in totals if k not in units]):
        units[unit.pk] = unit
    rows = sorted((units[k] for k in totals if k in units), key=lambda u: u.path)
    return {
        "round": round_.name,
        "takers": sum(t for t, _a in direct.values()),
        "attempts": sum(a for _t, a in direct.values()),
        "units": [{"code": u.code, "name": u.name, "depth": u.depth, "takers": totals[u.pk][0],
                   "attempts": totals[u.pk][1]} for u in rows],
    }
