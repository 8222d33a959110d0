"""The Content-Security-Policy in a real browser: pages that run scripts (the OpenSeadragon viewer, htmx swaps,
the contest paper, Wagtail's page editor) work under it and the browser reports no violation."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from sulieu.tests.browser import browser_page, screenshot_dir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Installed before any page script runs: every violation the browser reports, with what and where.
COLLECT = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push([e.effectiveDirective, e.blockedURI, (e.sample || "").slice(0, 80), e.sourceFile, e.lineNumber]);
});
"""


class Violations:
    """securitypolicyviolation events of every page visited plus the console's "Content Security Policy" lines."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.console: list[str] = []
        self.events: list[Any] = []
        page.context.add_init_script(COLLECT)
        page.on("console", lambda m: self.console.append(m.text) if "Content Security Policy" in m.text else None)

    def collect(self) -> list[Any]:
        self.events += self.page.evaluate("window.__csp || []")
        self.page.evaluate("window.__csp = []")
        return self.events + self.console


def _drawn(png: bytes) -> int:
    """How many distinct colours an element's screenshot holds (a drawn page image has hundreds)."""
    from PIL import Image

    return len(Image.open(io.BytesIO(png)).convert("RGB").getcolors(maxcolors=1 << 20) or [])


def _wagtail_site() -> Any:
    from portal.tests.factories import make_article, make_topic

    topic = make_topic()
    return make_article(topic, "Sơ kết 05 năm thực hiện Chỉ thị 20", sapo="Bài viết thử.")


def test_scripted_pages_work_under_the_policy_with_no_violation(live_server, settings, tmp_path, world,
                                                                  django_user_model):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.SULIEU_OCR_ENGINE = "reading.tests.factories.fake_ocr"
    assert django_settings.CONTENT_SECURITY_POLICY  # the enforced policy, not report-only
    from contests.tests.factories import make_bank, make_contest
    from reading.tests.factories import make_scanned_item, make_text_item

    scan = make_scanned_item([["BIÊN BẢN", "Hội nghị chi bộ xã Cam Lâm năm 1975"], ["Trang hai của biên bản"]],
                             tmp_path, name="bien-ban.pdf", org_unit=world.commune)
    make_text_item("Biên bản hội nghị chi bộ về công tác lịch sử Đảng.", name="bb.txt", org_unit=world.commune)
    make_bank(n=6)
    contest = make_contest(per_attempt=3)
    article = _wagtail_site()
    admin = django_user_model.objects.create_superuser("quantri", "qt@example.org", "mat-khau-dai-2026")
    shots = screenshot_dir(tmp_path / "shots")

    with browser_page() as page:
        seen = Violations(page)

        # 1. The item viewer: OpenSeadragon draws the page image; htmx flips to page 2 and loads related items.
        response = page.goto(live_server.url + "/items/%s/" % scan.pk)
        header = response.headers["content-security-policy"]
        assert "script-src 'self'" in header and "unsafe-inline" not in header and "unsafe-eval" not in header
        page.wait_for_selector("#osd .openseadragon-canvas", timeout=15000)
        page.wait_for_function("() => document.querySelector('#osd').dataset.loaded === '1'", timeout=15000)
        page.wait_for_timeout(800)  # the first frame after "open"
        assert _drawn(page.locator("#osd").screenshot()) > 50
        assert page.locator("style[data-openseadragon-mobile-css]").count() == 1  # ours, with the nonce
        # htmx's hx-trigger="load": the related-items placeholder replaced by the list
        page.wait_for_function("() => !document.querySelector('[hx-get$=\"/related/\"]')", timeout=10000)
        page.screenshot(path=str(shots / "csp-1-item.png"), full_page=True)
        page.locator("#reader .pager a[rel=next]").click()
        page.wait_for_selector("#reader[data-page='2']")  # swapped in by htmx
        page.wait_for_function("() => document.querySelector('#osd').dataset.loaded === '1'", timeout=15000)
        assert "page=2" in page.url
        assert seen.collect() == []

        # 2. Search, then the reading room's lazy tree and timeline (htmx-free pages with site.js).
        page.goto(live_server.url + "/search/?q=bien+ban")
        assert page.locator(".hit").count() >= 1
        page.screenshot(path=str(shots / "csp-2-search.png"), full_page=True)
        page.goto(live_server.url + "/luu-tru/")
        with page.expect_navigation():
            page.select_option("select[name=language]", "en")  # the switcher submits itself (site.js)
        assert page.locator("html").get_attribute("lang") == "en"
        with page.expect_navigation():
            page.select_option("select[name=language]", "vi")
        assert page.locator("html").get_attribute("lang") == "vi"
        assert seen.collect() == []

        # 3. The contest paper (contests/take.js): register, start, answer.
        page.goto(live_server.url + "/contests/%s/" % contest.slug)
        page.fill("input[name=name]", "Trần Văn Bình")
        page.fill("input[name=unit_code]", world.commune.code)
        page.fill("input[name=birth_year]", "1990")
        page.fill("input[name=contact]", "0905 000 111")
        page.click("#register button[type=submit]")
        page.wait_for_selector("#lobby:not([hidden])")
        page.click("#start")
        page.wait_for_selector("#paper:not([hidden]) .question")
        assert page.locator(".question").count() == 3
        page.locator(".question .option").first.click()
        page.wait_for_function("() => document.getElementById('saved').textContent === 'Đã lưu'")
        page.screenshot(path=str(shots / "csp-3-contest.png"), full_page=True)
        assert seen.collect() == []

        # 4. Wagtail's page editor under the back office's policy: StreamField, Draftail, a chooser modal.
        client = Client()
        client.force_login(admin)
        page.context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "url": live_server.url,
                                   "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value}])
        response = page.goto(live_server.url + "/admin/pages/%s/edit/" % article.pk)
        assert "script-src-attr 'none'" in response.headers["content-security-policy"]
        page.wait_for_selector(".Draftail-Editor", timeout=15000)
        page.locator("button.c-sf-add-button").first.click()
        page.locator(".w-combobox__option").first.click()
        # the new block's widgets initialise from fetched scripts: click the chooser once the page is quiet
        page.wait_for_load_state("networkidle")
        page.locator("[data-chooser-action-choose]").first.click()  # the lead image chooser
        page.wait_for_selector(".modal-dialog, [role=dialog][aria-hidden=false]", timeout=30000)
        page.wait_for_timeout(800)
        page.screenshot(path=str(shots / "csp-4-editor.png"))
        assert seen.collect() == []

        # The collector does see a violation: an injected handler is blocked and reported.
        page.goto(live_server.url + "/luu-tru/")
        page.evaluate("document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=\"window.__pwned=1\">')")
        page.wait_for_timeout(500)
        assert page.evaluate("window.__pwned") is None
        assert any(v[0] == "script-src-attr" for v in seen.collect())
