from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from contests import services
from contests.tests.factories import answer_all, make_bank, make_contest, register
from contests.views import certificate_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def contest(world):
    make_bank(n=8)
    return make_contest(per_attempt=4)


def _submitted(contest, taker, right=3):
    attempt, _ = services.attempt_start(contest_slug=contest.slug, taker_id=taker.pk,
                                        now=timezone.now() - dt.timedelta(minutes=5))
    answer_all(attempt, right=right, now=timezone.now() - dt.timedelta(minutes=4))
    services.attempt_submit(attempt_id=attempt.pk, taker_id=taker.pk, prediction=10)
    return attempt


def test_take_page_and_leaderboard_escape_hostile_names(client, contest, world):
    taker = register(contest, world.commune, name="<script>alert('x')</script>")
    _submitted(contest, taker)
    page = client.get("/contests/%s/" % contest.slug)
    assert page.status_code == 200 and "Đăng ký dự thi" in page.content.decode()
    board = client.get("/contests/%s/leaderboard/?round=Tuần 2" % contest.slug).content.decode()
    assert "<script>alert" not in board and "&lt;script&gt;alert" in board
    assert client.get("/contests/nope/").status_code == 404


def test_certificate_verifies_and_a_forged_code_does_not(client, contest, world):
    attempt = _submitted(contest, register(contest, world.commune, name="Nguyễn Văn A"))
    code = certificate_code(attempt.pk)
    page = client.get("/contests/certificates/%s/" % code)
    html = page.content.decode()
    assert page.status_code == 200 and "Nguyễn Văn A" in html and "<svg" in html and code in html
    forged = "%d-%s" % (attempt.pk + 1, code.split("-", 1)[1])
    assert client.get("/contests/certificates/%s/" % forged).status_code == 404


def test_dashboard_and_exports_for_organisers_only(client, contest, world):
    _submitted(contest, register(contest, world.other_commune))
    client.force_login(world.reader)
    assert client.get("/contests/%s/dashboard/" % contest.slug).status_code == 403
    client.force_login(world.superuser)
    page = client.get("/contests/%s/dashboard/?round=Tuần 2" % contest.slug)
    html = page.content.decode()
    assert page.status_code == 200 and "Xã Cam Lâm" in html and "Tỉnh Khánh Hòa" in html and "khớp" in html
    export = client.get("/contests/%s/export/Tuần 2/answers.csv" % contest.slug)
    lines = export.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("attempt_id,taker_id,question_id,question_key,version_id") and len(lines) == 5
    xlsx = client.get("/contests/%s/export/Tuần 2/results.xlsx" % contest.slug)
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
