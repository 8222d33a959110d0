from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from contests import services
from contests.models import Answer, Attempt, Flag, QuestionVersion
from contests.tests.factories import answer_all, make_bank, make_contest, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def contest(world):
    make_bank(n=12, multiple_every=4)
    return make_contest()


def test_round_open_at_creation_is_frozen_and_hashed(contest):
    week1, week2 = contest.rounds.order_by("opens_at")
    assert len(week2.version_ids) == 12 and len(week2.questions_hash) == 64
    assert services.round_verify(round_=week2)
    # A silent edit of a frozen version is detected by the hash.
    v = QuestionVersion.objects.get(pk=week2.version_ids[0])
    v.text = "Sửa lén"
    v.save()
    assert not services.round_verify(round_=week2)


def test_attempt_draws_and_never_sends_correct_options(contest, world):
    taker = register(contest, world.commune)
    attempt, created = services.attempt_start(contest_slug=contest.slug, taker_id=taker.pk)
    assert created and len(attempt.layout) == 5 and attempt.answers.count() == 5
    questions = services.attempt_questions(attempt)
    assert all(set(o) == {"id", "text"} for q in questions for o in q["options"])
    assert "correct" not in str(questions)
    again, created_again = services.attempt_start(contest_slug=contest.slug, taker_id=taker.pk)
    assert again.pk == attempt.pk and not created_again  # a reload does not cost an attempt


def test_retries_of_the_same_answer_keep_one_row_and_the_last_write(contest, world):
    taker = register(contest, world.commune)
    attempt, _ = services.attempt_start(contest_slug=contest.slug, taker_id=taker.pk)
    vid = int(next(iter(attempt.layout)))
    data = services.version_data([vid])[vid]
    wrong = next(o for o, _t in data.options if o not in data.correct)
    for _ in range(3):
        services.answer_save(attempt_id=attempt.pk, taker_id=taker.pk, version_id=vid, option_ids=[wrong])
    services.answer_save(attempt_id=attempt.pk, taker_id=taker.pk, version_id=vid, option_ids=sorted(data.correct))
    rows = Answer.objects.filter(attempt=attempt, version_id=vid)
    assert rows.count() == 1 and rows.get().option_ids == sorted(data.correct)
    result = services.attempt_submit(attempt_id=attempt.pk, taker_id=taker.pk, prediction=100)
    assert result.correct == 1


def test_single_answer_question_refuses_two_options_and_unknown_ids(contest, world):
    taker = register(contest, world.commune)
    attempt, _ = services.attempt_start(contest_slug=contest.slug, taker_id=taker.pk)
    data = services.version_data([int(k) for k in attempt.layout])
    single = next(v for v in data.values() if not v.multiple)
    with pytest.raises(services.Invalid):
        services.answer_save(attempt_id=attempt.pk, taker_id=taker.pk, version_id=single.id, option_ids=["a", "b"])
    with pytest.raises(services.Invalid):
        services.answer_save(attempt_id=attempt.pk, taker_id=taker.pk, version_id=single.id, option_ids=["z"])
    other_version = QuestionVersion.objects.exclude(pk__in=[int(k) for k in attempt.layout]).first()
    with pytest.raises(services.NotFound):
        services.answer_save(attempt_id=attempt.pk, taker_id=taker.pk, version_id=other_version.pk,
                             option_ids=["a"])
    assert Attempt.objects.get(pk=attempt.pk).saves == 0  # the refused save changed nothing


def test_submit_twice_is_refused_with_the_standing_result(contest, world):
    taker = register(contest, world.commune)
    attempt, _ = services.attempt_start(contest_slug=contest.slug, taker_id=taker.pk)
    answer_all(attempt, right=3)
    first = services.attempt_submit(attempt_id=attempt.pk, taker_id=taker.pk, prediction=5)
    assert (first.score, first.correct) == (3, 3)
    with pytest.raises(services.Conflict) as exc:
        services.attempt_submit(attempt_id=attempt.pk, taker_id=taker.pk, prediction=9)
    assert exc.value.payload["result"]["score"] == 3
    assert Attempt.objects.get(pk=attempt.pk).prediction == 5
    with pytest.raises(services.Conflict):
        answer_all(attempt, right=5)


def test_deadline_refuses_answers_and_the_server_submits_what_was_saved(contest, world):
    taker = register(contest, world.commune)
    start = timezone.now()
    attempt, _ = services.attempt_start(contest_slug=contest.slug, taker_id=taker.pk, now=start)
    answer_all(attempt, right=2, now=start + dt.timedelta(seconds=60))
    late = attempt.deadline + dt.timedelta(milliseconds=1)
    vid = int(next(iter(attempt.layout)))
    with pytest.raises(services.Conflict, match="time is up"):
        services.answer_save(attempt_id=attempt.pk, taker_id=taker.pk, version_id=vid, option_ids=["a"], now=late)
    with pytest.raises(services.Conflict) as exc:
        services.attempt_submit(attempt_id=attempt.pk, taker_id=taker.pk, now=late)
    result = exc.value.payload["result"]
    assert result["auto_submitted"] and result["correct"] == 2
    attempt.refresh_from_db()
    assert attempt.submitted_at == attempt.deadline and attempt.duration_ms == 600_000


def test_lazy_finalisation_gives_the_same_result_as_the_periodic_task(contest, world):
    a = register(contest, world.commune, contact="a@example.org")
    b = register(contest, world.commune, name="Trần Thị B", contact="b@example.org")
    past = timezone.now() - dt.timedelta(minutes=20)
    attempts = []
    for taker in (a, b):
        attempt, _ = services.attempt_start(contest_slug=contest.slug, taker_id=taker.pk, now=past)
        answer_all(attempt, right=4, now=past + dt.timedelta(seconds=30))
        attempts.append(attempt)
    services.finalise_attempt(attempts[0].pk)  # lazily, when the taker comes back
    assert services.finalise_expired() == 1  # the periodic pass does the other one only
    done = list(Attempt.objects.filter(pk__in=[x.pk for x in attempts]).values_list("score", "submitted_at",
                                                                                     "deadline"))
    assert [(s, sub == dl) for s, sub, dl in done] == [(4, True), (4, True)]


def test_no_attempt_left_and_closed_round(contest, world):
    taker = register(contest, world.commune)
    for _ in range(3):
        attempt, _ = services.attempt_start(contest_slug=contest.slug, taker_id=taker.pk)
        services.attempt_submit(attempt_id=attempt.pk, taker_id=taker.pk)
    with pytest.raises(services.Conflict, match="no attempt left"):
        services.attempt_start(contest_slug=contest.slug, taker_id=taker.pk)
    with pytest.raises(services.Conflict, match="no round"):
        services.attempt_start(contest_slug=contest.slug, taker_id=taker.pk,
                               now=timezone.now() + dt.timedelta(days=30))


def test_registering_again_returns_the_same_taker(contest, world):
    first = register(contest, world.commune, contact="0912 345 678")
    again = register(contest, world.commune, contact="+84912345678")
    assert first.pk == again.pk
    with pytest.raises(services.Conflict):
        register(contest, world.commune, name="Người khác", contact="0912345678")
    with pytest.raises(services.Invalid):
        services.taker_register(contest=contest, name="X", unit_code="nope", birth_year=1990, contact="x@y.z")


def test_implausible_speed_is_flagged(contest, world, settings):
    settings.SULIEU_CONTEST_MIN_MS_PER_ANSWER = 60_000
    taker = register(contest, world.commune)
    attempt, _ = services.attempt_start(contest_slug=contest.slug, taker_id=taker.pk)
    answer_all(attempt, right=5)
    services.attempt_submit(attempt_id=attempt.pk, taker_id=taker.pk)
    assert Flag.objects.filter(taker=taker, kind=Flag.Kind.SPEED).count() == 1


def test_contest_spec_errors_are_clear(world):
    make_bank(n=3)
    with pytest.raises(services.Invalid, match="fewer than questions_per_attempt"):
        make_contest(per_attempt=5)
    with pytest.raises(services.Invalid, match="no UTC offset"):
        make_contest(per_attempt=2, rounds=[{"name": "T1", "opens_at": "2026-12-01T08:00:00",
                                             "closes_at": "2026-12-02T08:00:00+07:00"}])
    with pytest.raises(services.Invalid, match="closes before"):
        make_contest(per_attempt=2, rounds=[{"name": "T1", "opens_at": "2026-12-02T08:00:00+07:00",
                                             "closes_at": "2026-12-01T08:00:00+07:00"}])
