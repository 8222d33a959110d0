from __future__ import annotations

import pytest

from sulieu.tests.browser import browser_page, screenshot_dir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _ensure_wagtail_root() -> None:
    """Transactional tests flush the rows Wagtail's migrations create; the back office needs its root page."""
    from wagtail.models import Locale, Page, Site

    Locale.objects.get_or_create(language_code="vi")
    if not Page.objects.exists():
        root = Page.add_root(title="Root", slug="root")
        home = root.add_child(instance=Page(title="Sử liệu", slug="home"))
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)


def test_staff_logs_in_and_sees_the_back_office_in_vietnamese(live_server, settings, tmp_path,
                                                              django_user_model):
    # As `sulieu serve` does on loopback http: browsers drop Secure cookies on plain http.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    django_user_model.objects.create_superuser("admin", "admin@example.org", "sulieu-demo-2026")
    _ensure_wagtail_root()
    shots = screenshot_dir(tmp_path)
    # An English-language browser still gets Vietnamese: only an explicit choice switches.
    with browser_page(locale="en-US") as page:
        page.goto(live_server.url + "/")
        assert page.locator("html").get_attribute("lang") == "vi"
        page.goto(live_server.url + "/admin/")
        page.fill("input[name=username]", "admin")
        page.fill("input[name=password]", "sulieu-demo-2026")
        page.locator("form button[type=submit], form input[type=submit]").first.click()
        page.wait_for_url(live_server.url + "/admin/")
        page.screenshot(path=str(shots / "admin-dashboard.png"), full_page=True)
        body = page.locator("body").inner_text()
        # the sidebar reads Vietnamese: Wagtail's own menus (our catalog) and ours
        for label in ("Tìm kiếm", "Hình ảnh", "Báo cáo", "Đơn vị & người dùng", "Tác vụ nền"):
            assert label in body, label
        assert "Reports" not in body and "Images" not in body
        page.goto(live_server.url + "/admin/orgunits/")
        assert page.locator("html").get_attribute("lang") == "vi"
        page.screenshot(path=str(shots / "admin-orgunits.png"), full_page=True)
