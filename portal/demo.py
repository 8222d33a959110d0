"""Demo portal: the two seed pages imported as articles (as ``sulieu portal import`` does), a topic,
"Văn bản mới", related articles by shared tags, footnotes into the archive, editorial accounts and a
comment waiting for moderation.  Idempotent."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction

from portal import models as pm
from portal import setup
from portal.importer import article_import
from portal.services import banned_words_set, comment_post

DEMO_DATA = Path(__file__).resolve().parent / "demo_data"
EDITORIAL_USERS = [
    ("phongvien", "Phóng viên", "Hà", setup.WRITER_GROUP),
    ("bientap", "Biên tập viên", "Phạm", setup.EDITOR_GROUP),
    ("lanhdao", "Lãnh đạo", "Võ", setup.LEADER_GROUP),
]
FOOTNOTES = {
    "https://khanhhoa.example/tin/so-ket-chi-thi-20": [
        ("Kế hoạch số 98-KH/TU, ngày 18/8/2022 của Ban Thường vụ Tỉnh ủy Khánh Hòa về sơ kết 05 năm thực hiện "
         "Chỉ thị số 20-CT/TW.", "98-KH/TU"),
        ("Kế hoạch số 84-KH/TU, ngày 17/4/2018 của Ban Thường vụ Tỉnh ủy Khánh Hòa thực hiện Chỉ thị số 20-CT/TW.",
         "84-KH/TU"),
        ("Chỉ thị số 20-CT/TW, ngày 18/01/2018 của Ban Bí thư Trung ương Đảng.", "20-CT/TW"),
    ],
}
TAGS = ["Chỉ thị 20-CT/TW", "Lịch sử Đảng"]


def _users(make_user: Callable[..., Any], log: Callable[[str], None]) -> dict[str, Any]:
    users = {}
    for username, first, last, group_name in EDITORIAL_USERS:
        user = make_user(username, first_name=first, last_name=last)
        user.groups.add(Group.objects.get(name=group_name))
        users[username] = user
    log("portal: editorial accounts phongvien (writer), bientap (editor), lanhdao (leader)")
    return users


def load_demo(context: dict[str, Any], log: Callable[[str], None]) -> None:
    admin = context["admin"]
    result = setup.portal_setup(by=admin)
    _users(context["demo_user"], log)
    topic = pm.TopicPage.objects.get(slug=result["topic"])
    articles = []
    for name in ("lam-dong-lich-su-dang.html", "khanh-hoa-so-ket-20-ct-tw.html"):
        imported = article_import(source=str(DEMO_DATA / name), topic=topic, by=admin)
        log("portal: %s %s" % (imported.status, imported.title[:70]))
        if imported.id:
            articles.append(pm.ArticlePage.objects.get(pk=imported.id))
    with transaction.atomic():
        for article in articles:
            changed = False
            page = article.get_latest_revision_as_object()
            if not page.tags.exists():
                page.tags.add(*TAGS)
                changed = True
            notes = FOOTNOTES.get(article.source_url, [])
            if notes and not page.footnotes.exists():
                for order, (text, symbol) in enumerate(notes):
                    page.footnotes.add(pm.ArticleFootnote(text=text, symbol=symbol, sort_order=order))
                changed = True
            if changed:
                page.save_revision(user=admin).publish(user=admin)
        home = setup.home_page()
        lead = next((a for a in articles if a.lead_image_id), None)
        if lead is not None and not home.lead_stories.exists():
            home.lead_stories.add(pm.HomeLeadStory(article=lead, sort_order=0))
            home.save_revision(user=admin).publish(user=admin)
    if not pm.BannedWord.objects.exists():
        banned_words_set(words=["lừa đảo", "cờ bạc", "quảng cáo"], by=admin)
    if articles and not pm.Comment.objects.exists():
        comment_post(article=articles[-1], user=None, name="Nguyễn Văn Bình", email="",
                     body="Xin cảm ơn bài viết. Mong Ban sớm công bố danh mục các ấn phẩm lịch sử đã xuất bản.",
                     ip="127.0.0.1")
        log("portal: one comment waiting for moderation (back office → Bình luận)")
