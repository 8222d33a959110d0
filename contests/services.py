"""Every write of the contests app: banks, contests, rounds, takers, attempts, answers.

Organiser operations check ``contests.manage`` through :mod:`orgs.policy` (``by=None`` is the operator at the
command line) and are audited. Taker operations are authenticated by their token in the API layer and are
not audited one by one (a contest day writes millions of answers); their rows are the record.

The hot path is :func:`answer_save`: a conditional UPDATE of the attempt row (which also serialises it with
a concurrent submit) and an UPDATE of one answer row found by a unique index. Question data comes from a
per-process cache: versions are immutable once a round has frozen them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Abs
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from archive.models import Item
from contests.importers import Parsed, QuestionRow
from contests.models import (
    Answer,
    Attempt,
    Bank,
    Contest,
    Flag,
    Question,
    QuestionVersion,
    ReviewStatus,
    Round,
    Taker,
)
from core.audit import audit
from orgs.models import OrgUnit
from orgs.policy import ensure_can

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


# --- banks ----------------------------------------------------------------------------------------

@dataclass
class ImportReport:
    bank: str
    created: int = 0
    new_versions: int = 0
    unchanged: int = 0
    errors: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"bank": self.bank, "imported": self.created + self.new_versions, "created": self.created,
                "new_versions": self.new_versions, "unchanged": self.unchanged, "failed": len(self.errors),
                "errors": self.errors}


def _question_key(row: QuestionRow) -> str:
    if row.key:
        return row.key[:64]
    folded = " ".join(row.text.lower().split())
    return "q-" + hashlib.sha1(folded.encode("utf-8")).hexdigest()[:16]  # noqa: S324 (an id, not security)


def bank_get_or_create(*, slug: str, by: Any, title: str = "", org_unit: OrgUnit | None = None) -> Bank:
    if not re.fullmatch(r"[-a-zA-Z0-9_]+", slug or ""):
        raise Invalid("bank slug %r: use letters, digits, - and _" % slug)
    if by is not None:
        ensure_can(by, MANAGE)
    bank, created = Bank.objects.get_or_create(slug=slug, defaults={"title": title or slug, "org_unit": org_unit})
    if created:
        audit(bank, "contests.bank_create", by=by, data={"slug": slug})
    return bank


def bank_import(*, bank_slug: str, parsed: Parsed, by: Any, status: str = ReviewStatus.APPROVED,
                source_name: str = "") -> ImportReport:
    """Add the parsed questions to a bank (created if missing): new questions, or a new version of a
    question whose wording changed; unchanged questions are left as they are, so re-importing is harmless.
    Rows whose source item does not exist are reported with their line and skipped."""
    if status not in ReviewStatus.values:
        raise Invalid("unknown review status %r" % status)
    bank = bank_get_or_create(slug=bank_slug, by=by)
    report = ImportReport(bank=bank.slug)
    report.errors = [{"line": e.line, "error": e.error} for e in parsed.errors]
    item_ids = {r.source_item for r in parsed.rows if r.source_item}
    existing_items = set(Item.objects.filter(pk__in=item_ids).values_list("pk", flat=True))
    seen: dict[str, int] = {}
    with transaction.atomic():
        for row in parsed.rows:
            if row.source_item and row.source_item not in existing_items:
                report.errors.append({"line": row.line, "error": "source item %d does not exist" % row.source_item})
                continue
            key = _question_key(row)
            if key in seen:
                report.errors.append({"line": row.line, "error": "same question as line %d" % seen[key]})
                continue
            seen[key] = row.line
            multiple = row.multiple if row.multiple is not None else sum(o["correct"] for o in row.options) > 1
            content = {"text": row.text, "options": row.options, "multiple": multiple,
                       "source_item_id": row.source_item, "source_page": row.source_page,
                       "explanation": row.explanation}
            question, created = Question.objects.get_or_create(bank=bank, key=key,
                                                               defaults={"topic": row.topic, "period": row.period})
            last = question.versions.order_by("-number").first()
            if last is not None and all(getattr(last, k) == v for k, v in content.items()):
                report.unchanged += 1
                continue
            version = QuestionVersion.objects.create(question=question, number=(last.number + 1) if last else 1,
                                                     status=status, **content)
            question.topic, question.period = row.topic or question.topic, row.period or question.period
            if status == ReviewStatus.APPROVED:
                question.current = version
            question.save()
            if created:
                report.created += 1
            else:
                report.new_versions += 1
        audit(bank, "contests.bank_import", by=by,
              data={"file": source_name, **{k: v for k, v in report.as_dict().items() if k != "errors"}})
    return report


def version_review(*, version: QuestionVersion, by: Any, status: str) -> QuestionVersion:
    """Set the review status of a version; an approved version becomes the one new rounds draw."""
    if by is not None:
        ensure_can(by, MANAGE)
    if status not in ReviewStatus.values:
        raise Invalid("unknown review status %r" % status)
    with transaction.atomic():
        old = version.status
        version.status = status
        version.reviewed_by = by if getattr(by, "is_authenticated", False) else None
        version.save(update_fields=["status", "reviewed_by"])
        question = version.question
        if status == ReviewStatus.APPROVED:
            question.current = version
        elif question.current_id == version.pk:
            question.current = None
        question.save(update_fields=["current"])
        audit(version, "contests.version_review", by=by, changes={"status": [old, status]})
    return version


# --- contests and rounds --------------------------------------------------------------------------

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
