"""Contests and their rounds: creation from a spec, freezing the drawn questions, the actual count."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from typing import Any

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Abs
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from contests.models import (
    Attempt,
    Bank,
    Contest,
    Question,
    QuestionVersion,
    ReviewStatus,
    Round,
)
from contests.services.common import MANAGE, Conflict, Invalid, NotFound, forget_contest
from core.audit import audit
from orgs.models import OrgUnit
from orgs.policy import ensure_can


def _aware(value: Any, what: str) -> dt.datetime:
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        raise Invalid("%s: %r is not an ISO date-time (e.g. 2026-12-01T08:00:00+07:00)" % (what, value))
    if timezone.is_naive(parsed):
        raise Invalid("%s: %r has no UTC offset (add +07:00)" % (what, value))
    return parsed


def _positive(spec: dict, name: str, default: int | None = None) -> int:
    value = spec.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise Invalid("%s must be a positive integer (got %r)" % (name, value))
    return value


def contest_create(*, spec: dict, by: Any) -> Contest:
    """Create a contest and its rounds from the spec of ``sulieu contest create``; rounds already open are
    frozen at once."""
    if not isinstance(spec, dict):
        raise Invalid("the spec must be a JSON object")
    if by is not None:
        ensure_can(by, MANAGE)
    slug = spec.get("slug")
    if not isinstance(slug, str) or not re.fullmatch(r"[-a-zA-Z0-9_]+", slug):
        raise Invalid("slug %r: use letters, digits, - and _" % slug)
    if Contest.objects.filter(slug=slug).exists():
        raise Conflict("a contest %r already exists" % slug)
    title = str(spec.get("title") or "").strip()
    if not title:
        raise Invalid("title is empty")
    bank = Bank.objects.filter(slug=spec.get("bank") or "").first()
    if bank is None:
        raise Invalid("no question bank %r (import one with sulieu contest import-bank)" % spec.get("bank"))
    per_attempt = _positive(spec, "questions_per_attempt")
    time_limit = _positive(spec, "time_limit_s")
    attempts = _positive(spec, "attempts_per_round", 1)
    points = _positive(spec, "points_per_question", 1)
    rounds = spec.get("rounds")
    if not isinstance(rounds, list) or not rounds:
        raise Invalid("rounds must be a non-empty list of {name, opens_at, closes_at}")
    parsed_rounds = []
    for i, r in enumerate(rounds, start=1):
        if not isinstance(r, dict) or not str(r.get("name") or "").strip():
            raise Invalid("round %d has no name" % i)
        opens, closes = _aware(r.get("opens_at"), "round %d opens_at" % i), _aware(r.get("closes_at"),
                                                                                  "round %d closes_at" % i)
        if closes <= opens:
            raise Invalid("round %r closes before it opens" % r["name"])
        parsed_rounds.append((str(r["name"]).strip()[:100], opens, closes))
    if len({name for name, _o, _c in parsed_rounds}) != len(parsed_rounds):
        raise Invalid("two rounds have the same name")
    pool = Question.objects.filter(bank=bank, current__status=ReviewStatus.APPROVED).count()
    if pool < per_attempt:
        raise Invalid("bank %r has %d approved questions, fewer than questions_per_attempt=%d"
                      % (bank.slug, pool, per_attempt))
    unit = None
    if spec.get("unit_code"):
        unit = OrgUnit.objects.filter(code=spec["unit_code"]).order_by(F("valid_to").desc(nulls_first=True)).first()
        if unit is None:
            raise Invalid("no org unit with code %r" % spec["unit_code"])
    with transaction.atomic():
        contest = Contest.objects.create(
            slug=slug, title=title[:500], bank=bank, org_unit=unit, questions_per_attempt=per_attempt,
            time_limit_s=time_limit, attempts_per_round=attempts, points_per_question=points,
            prediction_question=str(spec.get("prediction_question") or "")[:500])
        for name, opens, closes in parsed_rounds:
            Round.objects.create(contest=contest, name=name, opens_at=opens, closes_at=closes)
        audit(contest, "contests.contest_create", by=by, data={"spec": spec})
    now = timezone.now()
    for round_ in contest.rounds.all():
        if round_.opens_at <= now:
            round_freeze(round_=round_)
    forget_contest(slug)
    return contest


def questions_hash(versions: list[QuestionVersion]) -> str:
    canonical = [{"id": v.pk, "text": v.text, "options": v.options, "multiple": v.multiple}
                 for v in sorted(versions, key=lambda v: v.pk)]
    return hashlib.sha256(json.dumps(canonical, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def round_freeze(*, round_: Round) -> Round:
    """Freeze the round's question pool (the approved current versions of the bank) and hash it; once."""
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        if locked.frozen_at is not None:
            return locked
        versions = list(QuestionVersion.objects.filter(
            pk__in=Question.objects.filter(bank_id=locked.contest.bank_id, current__status=ReviewStatus.APPROVED)
            .values("current_id")))
        locked.version_ids = sorted(v.pk for v in versions)
        locked.questions_hash = questions_hash(versions)
        locked.frozen_at = timezone.now()
        locked.save(update_fields=["version_ids", "questions_hash", "frozen_at"])
        audit(locked, "contests.round_freeze", by=None,
              data={"questions": len(versions), "sha256": locked.questions_hash})
    forget_contest(locked.contest.slug)
    return locked


def round_verify(*, round_: Round) -> bool:
    """Whether the frozen versions still hash to what was recorded when the round opened."""
    versions = list(QuestionVersion.objects.filter(pk__in=round_.version_ids))
    return bool(round_.questions_hash) and questions_hash(versions) == round_.questions_hash


def round_set_actual(*, contest: Contest, round_name: str, value: int, by: Any) -> Round:
    """Set the true answer of the prediction question; every attempt's distance to it is stored once, so the
    leaderboard orders by a column."""
    if by is not None:
        ensure_can(by, MANAGE, contest)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise Invalid("the actual value must be a non-negative integer")
    round_ = contest.rounds.filter(name=round_name).first()
    if round_ is None:
        raise NotFound("contest %r has no round %r" % (contest.slug, round_name))
    with transaction.atomic():
        old = round_.actual_value
        round_.actual_value = value
        round_.save(update_fields=["actual_value"])
        Attempt.objects.filter(round=round_, prediction__isnull=False).update(
            prediction_error=Abs(F("prediction") - value))
        audit(round_, "contests.round_set_actual", by=by, changes={"actual_value": [old, value]})
    forget_contest(contest.slug)
    return round_
