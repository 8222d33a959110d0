"""The issue's browser walk: a reader reads, prints and comments; an editor writes, submits, approves, publishes
and moderates.  axe-core runs on the home, topic, article, search and item pages (0 serious/critical), also at
360 px wide.  Screenshots go to $SULIEU_SCREENSHOTS or the test's tmp dir."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sulieu.tests.browser import browser_page, screenshot_dir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = Path(__file__).resolve().parents[2] / ".venv" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
# The elements that stick out of the viewport, for the failure message.
WIDE = ("() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > "
        "window.innerWidth + 1).slice(-5).map(e => e.tagName + '.' + e.className + ': ' + "
        "e.outerHTML.slice(0, 300))")
UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


def _site(superuser) -> dict:
    """Transactional tests flush Wagtail's rows: rebuild the root, the portal and an article."""
    from wagtail.models import Locale, Page

    from portal import setup
    from portal.tests.factories import make_article, vn_time
    from reading.tests.factories import make_text_item

    Locale.objects.get_or_create(language_code="vi")
    if not Page.objects.exists():
        Page.add_root(title="Root", slug="root")
    setup.portal_setup(by=superuser)
    from portal import models as pm

    topic = pm.TopicPage.objects.get(slug="lich-su-dang")
    item = make_text_item("Kế hoạch số 98-KH/TU về sơ kết Chỉ thị số 20-CT/TW.", name="kh98.txt", access="public",
                          title="Kế hoạch 98-KH/TU", symbol="98-KH/TU", kind="document")
    # a harvested record with a long unbroken address must not widen the page at 360 px
    make_text_item("Sơ kết chỉ thị, nguồn: http://repository.example.edu.vn/handle/123456789/163800000000000000",
                   name="harvested.txt", access="public", title="Bản ghi thu hoạch")
    article = make_article(topic, "Sơ kết 05 năm thực hiện Chỉ thị 20-CT/TW", sapo="Lời dẫn của bài viết.",
                           published_at=vn_time(2022, 8, 22, 9, 30), author="Lâm An", body=[
                               {"type": "paragraph", "value": "<p>Nội dung sơ kết chỉ thị.</p>"},
                               {"type": "archive_item", "value": {"item": item.pk, "note": ""}}])
    return {"topic": topic, "article": article, "item": item}


def _axe(page, name: str) -> list[dict]:
    # Evaluated through the DevTools protocol: an injected <script> (add_script_tag) would be inline code,
    # which the site's Content-Security-Policy blocks.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate("async () => JSON.stringify(await axe.run(document, "
                           "{resultTypes: ['violations']}))")
    bad = [v for v in json.loads(result)["violations"] if v["impact"] in {"serious", "critical"}]
    return [{"page": name, "id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:3]} for v in bad]


def test_reader_reads_prints_comments_and_pages_pass_axe(live_server, settings, tmp_path, django_user_model):
    assert AXE.is_file(), "run scripts/install-axe.sh (bootstrap does)"
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "sulieu-demo-2026")
    site = _site(admin)
    article, topic, item = site["article"], site["topic"], site["item"]
    shots = screenshot_dir(tmp_path)
    violations: list[dict] = []
    with browser_page() as page:
        page.context.set_extra_http_headers({"User-Agent": UA})
        for width in (1280, 360):
            page.set_viewport_size({"width": width, "height": 900})
            for name, url in [("home", "/"), ("topic", topic.url), ("article", article.url),
                              ("search", "/tim-kiem/?q=so+ket+chi+thi"), ("item", "/items/%s/" % item.pk)]:
                page.goto(live_server.url + url)
                page.screenshot(path=str(shots / ("portal-%s-%d.png" % (name, width))), full_page=True)
                violations += _axe(page, "%s@%d" % (name, width))
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 1, (name, width, overflow, page.evaluate(WIDE))
        assert violations == []
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(live_server.url + "/")
        page.click("text=Sơ kết 05 năm thực hiện Chỉ thị 20-CT/TW")
        assert page.locator("time").first.inner_text() == "22/08/2022 09:30 SA"
        assert page.locator(".archive-card").count() == 1
        page.goto(live_server.url + article.url + "in/")
        assert "Lời dẫn của bài viết." in page.content()
        page.goto(live_server.url + article.url)
        page.fill("#c-name", "Bạn đọc Nguyễn")
        page.fill("#c-body", "Cảm ơn bài viết <b>hay</b>.")
        page.click("button:has-text('Gửi bình luận')")
        page.wait_for_url("**binh_luan=cho-duyet**")
        assert "chờ kiểm duyệt" in page.content()
        page.screenshot(path=str(shots / "portal-comment-pending.png"), full_page=True)
    from portal import models as pm
    from portal import stats

    assert pm.Comment.objects.get().status == "pending"
    assert stats.page_views([article.pk])[article.pk] >= 4  # read at both widths, then clicked, then commented


def test_editor_writes_submits_approves_publishes_and_moderates(live_server, settings, tmp_path,
                                                               django_user_model):
    from django.contrib.auth.models import Group

    from portal import models as pm
    from portal import setup

    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "sulieu-demo-2026")
    site = _site(admin)
    for name, group in (("phongvien", setup.WRITER_GROUP), ("bientap", setup.EDITOR_GROUP),
                        ("lanhdao", setup.LEADER_GROUP)):
        user = django_user_model.objects.create_user(name, password="sulieu-demo-2026", is_staff=True)
        user.groups.add(Group.objects.get(name=group))
    pm.Comment.objects.create(page=site["article"], name="Bạn đọc", body="Chờ duyệt đây", ip="10.1.1.1")
    shots = screenshot_dir(tmp_path)

    def login(page, name: str) -> None:
        page.context.clear_cookies()
        page.goto(live_server.url + "/admin/login/")
        page.fill("input[name=username]", name)
        page.fill("input[name=password]", "sulieu-demo-2026")
        page.locator("form button[type=submit]").first.click()
        page.wait_for_url(live_server.url + "/admin/")

    with browser_page() as page:
        login(page, "phongvien")
        page.goto(live_server.url + "/admin/pages/add/portal/articlepage/%s/" % site["topic"].pk)
        page.fill("#id_title", "Bài mới của phóng viên")
        page.fill("#id_sapo", "Sapo bài mới.")
        # Wagtail fills the slug from the title on the title's change/blur; under load the submit came before it
        # (a 400 "slug required"): wait for the slug as a person would see it filled
        page.locator("#id_title").dispatch_event("change")
        page.wait_for_function("() => (document.querySelector('#id_slug') || {}).value", timeout=15000)
        # the submit navigates (POST, then the redirect): wait for it, or the database is read before the save
        with page.expect_navigation(timeout=30000):
            page.locator("button[name=action-submit]").dispatch_event("click")
        page.wait_for_load_state()
        page.screenshot(path=str(shots / "editor-1-submitted.png"), full_page=True)
        new = pm.ArticlePage.objects.get(title="Bài mới của phóng viên")
        assert not new.live and new.current_workflow_state is not None
        for n, approver in enumerate(("bientap", "lanhdao"), start=1):
            # each approver opens the page in the editor and clicks Wagtail's "Approve" workflow action
            login(page, approver)
            page.goto(live_server.url + "/admin/pages/%s/edit/" % new.pk)
            approve = page.locator("[data-workflow-action-name=approve]")
            assert approve.count() >= 1, "no approve action for %s" % approver
            with page.expect_navigation(timeout=30000):
                approve.first.dispatch_event("click")
            page.wait_for_load_state()
            page.screenshot(path=str(shots / ("editor-2-approved-%d.png" % n)), full_page=True)
            if approver == "bientap":  # the editor's approval moves it to the leader; not live yet
                assert not pm.ArticlePage.objects.get(pk=new.pk).live
        new.refresh_from_db()
        assert new.live
        page.goto(live_server.url + new.url)
        assert "Sapo bài mới." in page.content()
        login(page, "bientap")  # editors moderate; the writer cannot
        page.goto(live_server.url + "/admin/portal/comments/")
        page.check("input[name=ids]")
        with page.expect_navigation(timeout=30000):
            page.click("button[value=approve]")
        page.wait_for_load_state()
        page.screenshot(path=str(shots / "editor-3-moderated.png"), full_page=True)
    assert pm.Comment.objects.get().status == "approved"
