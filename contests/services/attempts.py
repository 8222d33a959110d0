"""Takers and attempts: registration, start, answers, predictions, submit and finalising (the hot path)."""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from contests.models import (
    Answer,
    Attempt,
    Contest,
    Flag,
    Round,
    Taker,
)
from contests.services.common import (
    Conflict,
    ContestError,
    Invalid,
    NotFound,
    contest_with_rounds,
    ms,
    version_data,
)
from contests.services.rounds import round_freeze
from orgs.models import OrgUnit

# --- takers ---------------------------------------------------------------------------------------

def contact_key(contact: str) -> str:
    """Phone numbers compare by digits (+84 912… = 0912…); e-mails case-insensitively."""
    value = contact.strip().lower()
    digits = re.sub(r"[\s().-]", "", value)
    if re.fullmatch(r"\+?\d{8,15}", digits):
        digits = digits.lstrip("+")
        if digits.startswith("84") and len(digits) >= 11:
            digits = "0" + digits[2:]
        return "tel:" + digits
    return value


def _unit_for(contest: Contest, code: str) -> OrgUnit:
    units = list(OrgUnit.objects.filter(code=code).order_by(F("valid_to").desc(nulls_first=True))[:5])
    if contest.org_unit_id:
        units = [u for u in units if u.path.startswith(contest.org_unit.path)]
    current = [u for u in units if u.valid_to is None]
    if not (current or units):
        raise Invalid("unknown unit_code %r" % code, field="unit_code")
    return (current or units)[0]


def taker_register(*, contest: Contest, name: str, unit_code: str, birth_year: Any, contact: str,
                   ip: str | None = None) -> tuple[Taker, bool]:
    """One identity per contact per contest: the same contact returns the same taker (if the name and birth
    year match what was registered; otherwise the registration is refused)."""
    name = " ".join(str(name or "").split())
    contact = str(contact or "").strip()
    if not name or len(name) > 255:
        raise Invalid("name is required (at most 255 characters)", field="name")
    if not contact or len(contact) > 255:
        raise Invalid("contact (phone or e-mail) is required", field="contact")
    this_year = timezone.now().year
    if isinstance(birth_year, bool) or not isinstance(birth_year, int) or not 1900 <= birth_year <= this_year:
        raise Invalid("birth_year must be a year between 1900 and %d" % this_year, field="birth_year")
    key = contact_key(contact)
    existing = Taker.objects.filter(contest=contest, contact_key=key).first()
    if existing is None:
        unit = _unit_for(contest, str(unit_code or "").strip())
        try:
            with transaction.atomic():
                return Taker.objects.create(contest=contest, name=name, unit=unit, unit_code=unit.code,
                                            birth_year=birth_year, contact=contact, contact_key=key, ip=ip), True
        except IntegrityError:  # the same contact registering twice at the same moment
            existing = Taker.objects.get(contest=contest, contact_key=key)
    if existing.birth_year != birth_year or existing.name.casefold() != name.casefold():
        raise Conflict("this contact is already registered under another name or birth year", field="contact")
    return existing, False


# --- attempts -------------------------------------------------------------------------------------

def _open_round(contest: Contest, rounds: list[Round], now: dt.datetime) -> Round:
    for r in rounds:
        if r.opens_at <= now < r.closes_at:
            if r.frozen_at is None:
                r = round_freeze(round_=r)
            return r
    raise Conflict("no round of this contest is open now")


def attempt_start(*, contest_slug: str, taker_id: int, now: dt.datetime | None = None) -> tuple[Attempt, bool]:
    """Start an attempt in the open round, or return the taker's attempt still in progress (a reload must
    not cost an attempt). Draws ``questions_per_attempt`` of the frozen pool and shuffles each question's
    options; one answer row per drawn question is created now, so saving later only updates."""
    now = now or timezone.now()
    contest, rounds = contest_with_rounds(contest_slug)
    if not Taker.objects.filter(pk=taker_id, contest_id=contest.pk).exists():
        raise NotFound("unknown taker for this contest")
    round_ = _open_round(contest, rounds, now)
    mine = list(Attempt.objects.filter(round_id=round_.pk, taker_id=taker_id)
                .values_list("pk", "number", "submitted_at", "deadline"))
    for pk, _n, submitted_at, deadline in mine:
        if submitted_at is None and deadline > now:
            return Attempt.objects.get(pk=pk), False
    if len(mine) >= contest.attempts_per_round:
        raise Conflict("no attempt left in this round (%d allowed)" % contest.attempts_per_round)
    rng = random.SystemRandom()
    drawn = rng.sample(round_.version_ids, min(contest.questions_per_attempt, len(round_.version_ids)))
    data = version_data(drawn)
    layout = {}
    for vid in drawn:
        ids = [oid for oid, _t in data[vid].options]
        rng.shuffle(ids)
        layout[str(vid)] = ids
    deadline = min(now + dt.timedelta(seconds=contest.time_limit_s), round_.closes_at)
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(round_id=round_.pk, taker_id=taker_id, number=len(mine) + 1,
                                             started_at=now, deadline=deadline, layout=layout)
            Answer.objects.bulk_create([Answer(attempt=attempt, version_id=vid, position=i)
                                        for i, vid in enumerate(drawn, start=1)])
    except IntegrityError:  # the same taker started twice at once: the other request's attempt wins
        attempt = Attempt.objects.filter(round_id=round_.pk, taker_id=taker_id, submitted_at__isnull=True,
                                         deadline__gt=now).first()
        if attempt is None:
            raise Conflict("no attempt left in this round") from None
        return attempt, False
    attempt.round = round_
    return attempt, True


def attempt_questions(attempt: Attempt) -> list[dict[str, Any]]:
    """The questions as the taker sees them: no correct options."""
    data = version_data([int(k) for k in attempt.layout])
    out = []
    for key, order in attempt.layout.items():
        v = data[int(key)]
        texts = dict(v.options)
        out.append({"id": v.id, "text": v.text, "options": [{"id": oid, "text": texts[oid]} for oid in order],
                    "multiple": v.multiple})
    return out


def _diagnose(attempt_id: int, taker_id: int, now: dt.datetime) -> ContestError:
    row = Attempt.objects.filter(pk=attempt_id, taker_id=taker_id).values_list("submitted_at", "deadline").first()
    if row is None:
        return NotFound("no such attempt")
    if row[0] is not None:
        return Conflict("the attempt is already submitted")
    return Conflict("the time is up: answers after the deadline are refused", deadline=row[1].isoformat())


def answer_save(*, attempt_id: int, taker_id: int, version_id: int, option_ids: Any,
                now: dt.datetime | None = None) -> None:
    """Save one answer (idempotent, the last write wins). Refused after the deadline or after submit."""
    if not isinstance(option_ids, list) or not all(isinstance(o, str) for o in option_ids):
        raise Invalid("option_ids must be a list of option ids")
    data = version_data([version_id]).get(version_id)
    if data is None:
        raise NotFound("no such question")
    chosen = sorted(set(option_ids))
    valid = {oid for oid, _t in data.options}
    if any(o not in valid for o in chosen):
        raise Invalid("unknown option id for this question")
    if not data.multiple and len(chosen) > 1:
        raise Invalid("this question takes one option")
    now = now or timezone.now()
    with transaction.atomic():
        # The attempt row is the lock shared with submit: whichever commits first decides.
        touched = Attempt.objects.filter(pk=attempt_id, taker_id=taker_id, submitted_at__isnull=True,
                                         deadline__gt=now).update(saves=F("saves") + 1)
        if not touched:
            raise _diagnose(attempt_id, taker_id, now)
        saved = Answer.objects.filter(attempt_id=attempt_id, version_id=version_id).update(
            option_ids=chosen, saved_at=now)
        if not saved:
            transaction.set_rollback(True)
            raise NotFound("this question is not part of the attempt")


def prediction_save(*, attempt_id: int, taker_id: int, prediction: Any, now: dt.datetime | None = None) -> None:
    value = _prediction(prediction)
    now = now or timezone.now()
    touched = Attempt.objects.filter(pk=attempt_id, taker_id=taker_id, submitted_at__isnull=True,
                                     deadline__gt=now).update(prediction=value)
    if not touched:
        raise _diagnose(attempt_id, taker_id, now)


def _prediction(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 10**15:
        raise Invalid("prediction must be a non-negative integer")
    return value


@dataclass
class Result:
    attempt_id: int
    score: int
    correct: int
    questions: int
    submitted_at: dt.datetime
    duration_ms: int
    auto_submitted: bool

    def as_dict(self) -> dict[str, Any]:
        return {"attempt_id": self.attempt_id, "score": self.score, "correct": self.correct,
                "questions": self.questions, "submitted_at": self.submitted_at.isoformat(timespec="milliseconds"),
                "duration_s": round(self.duration_ms / 1000, 3), "auto_submitted": self.auto_submitted}


def result_of(attempt: Attempt) -> Result:
    return Result(attempt.pk, attempt.score or 0, attempt.correct or 0, len(attempt.layout), attempt.submitted_at,
                  attempt.duration_ms or 0, attempt.auto_submitted)


def _finalise(attempt_id: int, *, at: dt.datetime, auto: bool, prediction: int | None,
              set_prediction: bool) -> Attempt | None:
    """Mark the attempt submitted at ``at`` (if nobody did) and grade what was saved. None if already done."""
    with transaction.atomic():
        fields: dict[str, Any] = {"submitted_at": at, "submitted_ms": ms(at), "auto_submitted": auto}
        if set_prediction:
            fields["prediction"] = prediction
        if not Attempt.objects.filter(pk=attempt_id, submitted_at__isnull=True).update(**fields):
            return None
        attempt = Attempt.objects.select_related("round__contest").get(pk=attempt_id)
        answers = list(Answer.objects.filter(attempt_id=attempt_id).values_list("pk", "version_id", "option_ids"))
        data = version_data([vid for _pk, vid, _o in answers])
        right = [pk for pk, vid, chosen in answers if chosen and frozenset(chosen) == data[vid].correct]
        Answer.objects.filter(attempt_id=attempt_id).update(is_correct=False)
        if right:
            Answer.objects.filter(pk__in=right).update(is_correct=True)
        attempt.correct = len(right)
        attempt.score = len(right) * attempt.round.contest.points_per_question
        attempt.duration_ms = max(0, ms(at) - ms(attempt.started_at))
        actual = attempt.round.actual_value
        attempt.prediction_error = abs(attempt.prediction - actual) if (
            actual is not None and attempt.prediction is not None) else None
        attempt.save(update_fields=["correct", "score", "duration_ms", "prediction_error"])
        answered = sum(1 for _pk, _v, chosen in answers if chosen)
        min_ms = int(getattr(settings, "SULIEU_CONTEST_MIN_MS_PER_ANSWER", 1500))
        if answered >= 3 and attempt.duration_ms < answered * min_ms:
            Flag.objects.create(taker_id=attempt.taker_id, attempt=attempt, kind=Flag.Kind.SPEED,
                                detail="%d answers in %.1f s" % (answered, attempt.duration_ms / 1000))
    return attempt


def attempt_submit(*, attempt_id: int, taker_id: int, prediction: Any = None,
                   now: dt.datetime | None = None) -> Result:
    """Submit and grade. A second submit, or one after the deadline (the server has submitted the attempt at
    its deadline with what was saved), is refused with the result that stands."""
    value = _prediction(prediction)
    now = now or timezone.now()
    row = Attempt.objects.filter(pk=attempt_id, taker_id=taker_id).values_list("deadline", flat=True).first()
    if row is None:
        raise NotFound("no such attempt")
    if row <= now:
        finalise_attempt(attempt_id)
        attempt = Attempt.objects.get(pk=attempt_id)
        raise Conflict("the time is up: the attempt was submitted at its deadline",
                       result=result_of(attempt).as_dict())
    attempt = _finalise(attempt_id, at=now, auto=False, prediction=value, set_prediction=prediction is not None)
    if attempt is None:
        attempt = Attempt.objects.get(pk=attempt_id)
        raise Conflict("the attempt is already submitted", result=result_of(attempt).as_dict())
    return result_of(attempt)


def finalise_attempt(attempt_id: int) -> Attempt | None:
    """Submit an expired attempt at its deadline with what was saved (no-op if submitted)."""
    deadline = Attempt.objects.filter(pk=attempt_id).values_list("deadline", flat=True).first()
    if deadline is None:
        return None
    return _finalise(attempt_id, at=deadline, auto=True, prediction=None, set_prediction=False)


def finalise_expired(*, round_id: int | None = None, now: dt.datetime | None = None, limit: int = 5000) -> int:
    """Submit every attempt whose deadline has passed; the same result whenever it runs (submitted_at is
    the deadline). Called by the periodic task and before anything ranks or counts a round."""
    now = now or timezone.now()
    qs = Attempt.objects.filter(submitted_at__isnull=True, deadline__lte=now)
    if round_id is not None:
        qs = qs.filter(round_id=round_id)
    done = 0
    for pk in qs.order_by("deadline").values_list("pk", flat=True)[:limit]:
        if finalise_attempt(pk) is not None:
            done += 1
    return done


def flag_flood(*, taker_id: int, detail: str) -> None:
    Flag.objects.create(taker_id=taker_id, kind=Flag.Kind.FLOOD, detail=detail[:500])
