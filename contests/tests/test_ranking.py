from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from contests import ranking, services
from contests.models import Round
from contests.tests.factories import answer_all, make_bank, make_contest, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def contest(world):
    make_bank(n=10)
    return make_contest(per_attempt=5, attempts=3)


def _take(contest, taker, *, right, start, seconds, prediction=None):
    attempt, _ = services.attempt_start(contest_slug=contest.slug, taker_id=taker.pk, now=start)
    answer_all(attempt, right=right, now=start + dt.timedelta(seconds=1))
    services.attempt_submit(attempt_id=attempt.pk, taker_id=taker.pk, prediction=prediction,
                            now=start + dt.timedelta(seconds=seconds))
    return attempt


def _ranks(round_):
    return [(e.row["taker__name"], e.rank) for e in ranking.leaderboard(round_, limit=10)]


def test_ranking_score_then_prediction_then_duration_then_time_with_shared_ranks(contest, world):
    t0 = timezone.now() - dt.timedelta(minutes=30)
    names = ["An", "Bình", "Chi", "Dũng", "Em"]
    t = {n: register(contest, world.commune, name=n, contact="%s@example.org" % n) for n in names}
    _take(contest, t["An"], right=4, start=t0, seconds=100, prediction=1000)
    _take(contest, t["Bình"], right=4, start=t0 + dt.timedelta(seconds=10), seconds=100, prediction=1000)
    _take(contest, t["Chi"], right=4, start=t0, seconds=100, prediction=1000)  # identical to An to the ms
    _take(contest, t["Dũng"], right=4, start=t0, seconds=200, prediction=990)
    _take(contest, t["Em"], right=5, start=t0, seconds=500, prediction=5)
    round_ = Round.objects.get(contest=contest, name="Tuần 2")
    # No actual value yet: score, then duration, then submission time.
    assert _ranks(round_) == [("Em", 1), ("An", 2), ("Chi", 2), ("Bình", 4), ("Dũng", 5)]
    services.round_set_actual(contest=contest, round_name="Tuần 2", value=992, by=None)
    round_.refresh_from_db()
    # Dũng predicted closest (|990−992| = 2) so comes first among the fours.
    assert _ranks(round_) == [("Em", 1), ("Dũng", 2), ("An", 3), ("Chi", 3), ("Bình", 5)]
    me = ranking.taker_standing(round_, t["Chi"].pk)
    assert me["rank"] == 3 and me["score"] == 4
    assert ranking.taker_standing(round_, t["Bình"].pk)["rank"] == 5
    assert [e.rank for e in ranking.leaderboard(round_, limit=2)] == [1, 2]


def test_each_taker_counts_once_with_the_best_attempt(contest, world):
    t0 = timezone.now() - dt.timedelta(minutes=50)
    a = register(contest, world.commune, name="An", contact="an@example.org")
    b = register(contest, world.commune, name="Bình", contact="binh@example.org")
    _take(contest, a, right=2, start=t0, seconds=50)
    best = _take(contest, a, right=4, start=t0 + dt.timedelta(minutes=5), seconds=300)
    _take(contest, a, right=4, start=t0 + dt.timedelta(minutes=15), seconds=400)
    _take(contest, b, right=3, start=t0, seconds=30)
    round_ = Round.objects.get(contest=contest, name="Tuần 2")
    board = ranking.leaderboard(round_, limit=10)
    assert [(e.row["taker__name"], e.row["pk"]) for e in board] == [("An", best.pk), ("Bình", board[1].row["pk"])]
    assert ranking.taker_standing(round_, b.pk)["rank"] == 2


def test_a_prediction_left_empty_ranks_after_every_prediction(contest, world):
    t0 = timezone.now() - dt.timedelta(minutes=30)
    a = register(contest, world.commune, name="An", contact="an@example.org")
    b = register(contest, world.commune, name="Bình", contact="binh@example.org")
    _take(contest, a, right=3, start=t0, seconds=10)  # fastest, but no prediction
    _take(contest, b, right=3, start=t0, seconds=90, prediction=10**6)
    services.round_set_actual(contest=contest, round_name="Tuần 2", value=7, by=None)
    round_ = Round.objects.get(contest=contest, name="Tuần 2")
    assert _ranks(round_) == [("Bình", 1), ("An", 2)]
    assert ranking.taker_standing(round_, a.pk)["rank"] == 2


def test_participation_rolls_up_the_unit_tree(contest, world):
    t0 = timezone.now() - dt.timedelta(minutes=30)
    a = register(contest, world.commune, name="An", contact="an@example.org")
    b = register(contest, world.other_commune, name="Bình", contact="binh@example.org")
    _take(contest, a, right=1, start=t0, seconds=10)
    _take(contest, a, right=2, start=t0 + dt.timedelta(minutes=1), seconds=10)
    services.attempt_start(contest_slug=contest.slug, taker_id=b.pk)  # in progress still counts
    round_ = Round.objects.get(contest=contest, name="Tuần 2")
    data = ranking.participation(round_)
    assert (data["takers"], data["attempts"]) == (2, 3)
    rows = {u["code"]: (u["takers"], u["attempts"]) for u in data["units"]}
    assert rows == {"56": (2, 3), "22366": (1, 2), "22405": (1, 1)}
