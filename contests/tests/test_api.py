from __future__ import annotations

import json
import threading
import time

import pytest
from django.db import OperationalError, connection

from contests import services
from contests.models import Answer, Attempt, Flag
from contests.tests.factories import make_bank, make_contest

pytestmark = pytest.mark.django_db


@pytest.fixture
def contest(world):
    make_bank(n=12, multiple_every=3)
    return make_contest(per_attempt=6)


def _call(client, method, url, data=None, token=None):
    headers = {"HTTP_AUTHORIZATION": "Bearer %s" % token} if token else {}
    body = json.dumps(data) if data is not None else ""
    response = getattr(client, method)(url, body, content_type="application/json", **headers)
    return response.status_code, response.json()


def _register(client, contest, unit, contact="0912345678", name="Nguyễn Văn A"):
    status, data = _call(client, "post", "/api/v1/contests/%s/register" % contest.slug,
                         {"name": name, "unit_code": unit.code, "birth_year": 1990, "contact": contact})
    assert status in (200, 201), data
    return data


def test_taker_flow_register_start_save_submit_leaderboard(client, contest, world):
    reg = _register(client, contest, world.commune)
    again = _register(client, contest, world.commune, contact="+84 912 345 678")
    assert again["taker_id"] == reg["taker_id"] and again["token"] == reg["token"]
    token = reg["token"]
    status, attempt = _call(client, "post", "/api/v1/contests/%s/attempts" % contest.slug, token=token)
    assert status == 201 and attempt["round"] == "Tuần 2" and len(attempt["questions"]) == 6
    raw = json.dumps(attempt)
    assert "correct" not in raw and "source" not in raw  # nothing about the answers reaches the client
    q = attempt["questions"][0]
    url = "/api/v1/attempts/%d/answers/%d" % (attempt["attempt_id"], q["id"])
    for _ in range(3):  # a flaky network resends the same save
        assert _call(client, "put", url, {"option_ids": [q["options"][0]["id"]]}, token) == (200, {
            "saved": True, "server_time": pytest.approx_any})
    assert Answer.objects.filter(attempt_id=attempt["attempt_id"], option_ids__isnull=False).count() == 1
    status, resumed = _call(client, "get", "/api/v1/attempts/%d" % attempt["attempt_id"], token=token)
    assert resumed["answers"] == {str(q["id"]): [q["options"][0]["id"]]} and "review" not in resumed
    status, result = _call(client, "post", "/api/v1/attempts/%d/submit" % attempt["attempt_id"],
                           {"prediction": 1234}, token)
    assert status == 200 and set(result) >= {"score", "correct", "submitted_at"}
    status, again = _call(client, "post", "/api/v1/attempts/%d/submit" % attempt["attempt_id"], {}, token)
    assert status == 409 and again["result"]["score"] == result["score"]
    assert _call(client, "put", url, {"option_ids": []}, token)[0] == 409
    status, board = _call(client, "get", "/api/v1/contests/%s/leaderboard?round=Tuần 2&limit=5" % contest.slug,
                          token=token)
    assert status == 200 and board["results"][0]["taker_id"] == reg["taker_id"]
    assert set(board["results"][0]) == {"rank", "taker_id", "name", "unit_code", "score", "prediction",
                                        "submitted_at", "duration_s"}
    assert board["me"]["rank"] == 1
    status, part = _call(client, "get", "/api/v1/contests/%s/participation?round=Tuần 2" % contest.slug)
    assert (part["takers"], part["attempts"]) == (1, 1) and part["units"][0]["code"] == "56"


class _Any:
    def __eq__(self, other):
        return True


pytest.approx_any = _Any()


def test_api_refuses_bad_tokens_other_takers_and_bad_input(client, contest, world):
    a = _register(client, contest, world.commune, contact="a@example.org")
    b = _register(client, contest, world.commune, contact="b@example.org", name="Trần B")
    _s, attempt = _call(client, "post", "/api/v1/contests/%s/attempts" % contest.slug, token=a["token"])
    q = attempt["questions"][0]
    url = "/api/v1/attempts/%d/answers/%d" % (attempt["attempt_id"], q["id"])
    assert _call(client, "put", url, {"option_ids": ["a"]})[0] == 401
    forged = "%d.%s" % (a["taker_id"], "0" * 40)
    assert _call(client, "put", url, {"option_ids": ["a"]}, forged)[0] == 401
    assert _call(client, "put", url, {"option_ids": ["a"]}, b["token"])[0] == 404  # not b's attempt
    assert _call(client, "put", url, {"option_ids": "a"}, a["token"])[0] == 400
    assert client.put(url, "{not json", content_type="application/json",
                      HTTP_AUTHORIZATION="Bearer " + a["token"]).status_code == 400
    status, data = _call(client, "post", "/api/v1/contests/%s/register" % contest.slug,
                         {"name": "", "unit_code": world.commune.code, "birth_year": 1990, "contact": "x"})
    assert status == 400 and data["field"] == "name"
    assert _call(client, "get", "/api/v1/contests/nope/leaderboard")[0] == 404
    assert _call(client, "get", "/api/v1/contests/%s/leaderboard?limit=x" % contest.slug)[0] == 400


def test_closed_round_review_shows_correct_options_and_source(client, world, tmp_path):
    from reading.tests.factories import make_text_item

    item = make_text_item("Chỉ thị số 20-CT/TW ngày 18/01/2018 của Ban Bí thư.", name="ct20.txt")
    make_bank(n=6, source_item=item.pk)
    contest = make_contest(per_attempt=3)
    reg = _register(client, contest, world.commune)
    _s, attempt = _call(client, "post", "/api/v1/contests/%s/attempts" % contest.slug, token=reg["token"])
    _call(client, "post", "/api/v1/attempts/%d/submit" % attempt["attempt_id"], {}, reg["token"])
    round_ = Attempt.objects.get(pk=attempt["attempt_id"]).round
    _s, before = _call(client, "get", "/api/v1/attempts/%d" % attempt["attempt_id"], token=reg["token"])
    assert "review" not in before  # the round is still open: others are still answering
    round_.closes_at = round_.opens_at + (round_.closes_at - round_.opens_at) / 1000
    round_.save()
    _s, after = _call(client, "get", "/api/v1/attempts/%d" % attempt["attempt_id"], token=reg["token"])
    assert after["review"][0]["correct_options"] == ["a"]
    assert after["review"][0]["source"]["url"] == "/items/%d/?page=1" % item.pk


def test_rate_limit_per_token_answers_429_and_flags_the_flood(client, contest, world, settings):
    settings.SULIEU_CONTEST_RATE_TOKEN = 5
    reg = _register(client, contest, world.commune)
    statuses = [_call(client, "get", "/api/v1/contests/%s/leaderboard" % contest.slug, token=reg["token"])[0]
                for _ in range(8)]
    assert statuses[:5] == [200] * 5 and statuses[5:] == [429] * 3
    assert Flag.objects.filter(taker_id=reg["taker_id"], kind=Flag.Kind.FLOOD).count() == 1


def test_rate_limit_per_ip(client, contest, world, settings):
    settings.SULIEU_CONTEST_RATE_IP = 3
    statuses = [client.get("/api/v1/contests/%s" % contest.slug).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


def _retrying(fn, **kw):
    """As the taker page does: a save that failed for a transient reason (SQLite's shared in-memory test
    database answers "table is locked" instead of waiting) is sent again."""
    for _ in range(200):
        try:
            return fn(**kw)
        except OperationalError:
            time.sleep(0.005)
    raise AssertionError("still locked")


@pytest.mark.django_db(transaction=True)
def test_two_takers_racing_save_and_submit_lose_nothing(world):
    make_bank(n=12)
    contest = make_contest(per_attempt=6)
    takers = [services.taker_register(contest=contest, name="Người %d" % i, unit_code=world.commune.code,
                                      birth_year=1990, contact="r%d@example.org" % i)[0] for i in range(2)]
    attempts = [services.attempt_start(contest_slug=contest.slug, taker_id=t.pk)[0] for t in takers]
    errors: list[Exception] = []
    acknowledged: dict[int, int] = {}
    barrier = threading.Barrier(2)

    def run(attempt):
        try:
            barrier.wait()
            data = services.version_data([int(k) for k in attempt.layout])
            for v in data.values():
                for _ in range(2):
                    _retrying(services.answer_save, attempt_id=attempt.pk, taker_id=attempt.taker_id,
                              version_id=v.id, option_ids=sorted(v.correct))
                    acknowledged[attempt.pk] = acknowledged.get(attempt.pk, 0) + 1
            _retrying(services.attempt_submit, attempt_id=attempt.pk, taker_id=attempt.taker_id, prediction=1)
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in attempts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    for a in attempts:
        a.refresh_from_db()
        assert a.score == 6 and a.saves == 12 and acknowledged[a.pk] == 12
    # The same taker starting twice at once gets one attempt, not two.
    t = takers[0]
    results: list = []

    def start():
        try:
            barrier.wait()
            results.append(_retrying(services.attempt_start, contest_slug=contest.slug, taker_id=t.pk)[0].pk)
        except Exception as exc:  # noqa: BLE001
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(30)
    assert len(set(results)) == 1 and isinstance(results[0], int)
    assert Attempt.objects.filter(taker=t).count() == 2
