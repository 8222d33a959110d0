"""Comments: held for moderation, text only, rate-limited, banned words flagged, bans, bulk moderation."""

from __future__ import annotations

import pytest
from django.test import Client

from portal import models as pm
from portal.services import banned_words_set, comments_moderate
from portal.tests.factories import make_article

pytestmark = pytest.mark.django_db


def _post(client: Client, article, **data):
    payload = {"name": "Trần Văn An", "email": "", "body": "Bài viết hay."}
    payload.update(data)
    return client.post("/binh-luan/%s/" % article.pk, payload)


def test_comment_is_held_until_approved_then_shown_and_counted(client, topic, world):
    article = make_article(topic, "Bài có bình luận")
    response = _post(client, article, body="Cảm ơn tác giả.")
    assert response.status_code == 302 and "binh_luan=cho-duyet" in response["Location"]
    assert "đang chờ kiểm duyệt" in client.get(response["Location"]).content.decode()
    comment = pm.Comment.objects.get()
    assert comment.status == "pending" and comment.ip == "127.0.0.1"
    assert "Cảm ơn tác giả." not in client.get(article.url).content.decode()
    assert client.get("/api/v1/articles/%s" % article.pk).json()["comments"] == 0
    comments_moderate(comment_ids=[comment.pk], action="approve", by=world.superuser)
    page = client.get(article.url).content.decode()  # the cached page was purged by the approval
    assert "Cảm ơn tác giả." in page and "Bình luận (1)" in page
    assert client.get("/api/v1/articles/%s" % article.pk).json()["comments"] == 1


def test_logged_in_reader_comments_under_their_name(client, topic, world):
    article = make_article(topic, "Bài cho bạn đọc")
    client.force_login(world.reader)
    _post(client, article, name="")
    comment = pm.Comment.objects.get()
    assert comment.user == world.reader and comment.name == "reader"


def test_comment_text_is_escaped_and_links_are_not_clickable(client, topic, world):
    article = make_article(topic, "Bài XSS")
    _post(client, article, name="<b>Kẻ xấu</b>", body='<script>alert(1)</script> xem https://lua-dao.example <a href="x">y</a>')
    comments_moderate(comment_ids=list(pm.Comment.objects.values_list("pk", flat=True)), action="approve",
                      by=world.superuser)
    page = client.get(article.url).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="https://lua-dao.example' not in page and '<a href="x">' not in page
    assert "<b>Kẻ xấu</b>" not in page


def test_empty_banned_rate_limited_and_robot_comments_are_refused(client, topic, world, settings):
    settings.PORTAL_COMMENT_RATE = 2
    article = make_article(topic, "Bài giới hạn")
    assert "binh_luan=loi" in _post(client, article, body="   ")["Location"]
    assert "binh_luan=loi" in _post(client, article, name="")["Location"]
    _post(client, article, website="http://spam.example")  # the hidden field: a robot
    assert pm.Comment.objects.count() == 0
    _post(client, article, body="Một")
    _post(client, article, body="Hai")
    response = _post(client, article, body="Ba")
    assert "binh_luan=loi" in response["Location"] and pm.Comment.objects.count() == 2
    assert "quá nhiều" in client.get(response["Location"]).content.decode()


def test_banned_words_flag_and_ban_blocks_account_and_address(client, topic, world):
    article = make_article(topic, "Bài từ cấm")
    banned_words_set(words=["lừa đảo", "cờ bạc"], by=world.superuser)
    _post(client, article, body="Trang này LUA DAO mọi người")  # found without diacritics too
    comment = pm.Comment.objects.get()
    assert comment.flagged_words == "lừa đảo" and comment.status == "pending"
    comments_moderate(comment_ids=[comment.pk], action="ban", by=world.superuser)
    comment.refresh_from_db()
    assert comment.status == "rejected" and pm.CommentBan.objects.filter(ip="127.0.0.1").exists()
    assert "binh_luan=loi" in _post(client, article, body="Lại là tôi")["Location"]
    assert pm.Comment.objects.count() == 1


def test_comment_form_needs_csrf(topic):
    article = make_article(topic, "Bài CSRF")
    client = Client(enforce_csrf_checks=True)
    assert _post(client, article).status_code == 403
    page = client.get(article.url).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert _post(client, article, csrfmiddlewaretoken=token).status_code == 302
    assert pm.Comment.objects.count() == 1


def test_moderation_queue_bulk_actions_need_a_moderator(client, topic, world):
    article = make_article(topic, "Bài kiểm duyệt")
    for i in range(3):
        pm.Comment.objects.create(page=article, name="N%d" % i, body="Bình luận số %d" % i, ip="10.0.0.%d" % i)
    ids = [str(pk) for pk in pm.Comment.objects.values_list("pk", flat=True)]
    client.force_login(world.reader)
    assert client.post("/admin/portal/comments/", {"ids": ids, "action": "approve"}).status_code in (302, 403)
    assert pm.Comment.objects.filter(status="approved").count() == 0
    client.force_login(world.superuser)
    queue = client.get("/admin/portal/comments/").content.decode()
    assert "Bình luận số 0" in queue and "Bình luận số 2" in queue
    client.post("/admin/portal/comments/", {"ids": ids[:2], "action": "approve"})
    client.post("/admin/portal/comments/", {"ids": ids[2:], "action": "reject"})
    assert pm.Comment.objects.filter(status="approved").count() == 2
    assert pm.Comment.objects.filter(status="rejected").count() == 1
    assert client.get("/admin/portal/statistics/").status_code == 200
