"""Content-Security-Policy on every page (issue 10): the strict policy on the public site and the API, the
back office's stated exception under /admin/, and pages that hold nothing the policy would block."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

HEADER = "Content-Security-Policy"


def policy(response: Any, header: str = HEADER) -> dict[str, list[str]]:
    assert header in response, "no %s on %s" % (header, response.wsgi_request.path)
    parsed: dict[str, list[str]] = {}
    for part in response[header].split(";"):
        name, *values = part.split()
        assert name not in parsed, "directive %s twice" % name
        parsed[name] = values
    return parsed


def assert_strict(csp: dict[str, list[str]]) -> None:
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    for name in ("base-uri", "frame-ancestors", "form-action", "font-src", "connect-src"):
        assert csp[name] == ["'self'"], name
    assert csp["img-src"] == ["'self'", "data:", "blob:"]
    for name in ("script-src", "style-src"):
        assert csp[name][0] == "'self'"
        # nothing but our own origin and, where a page used one, this response's nonce
        assert all(re.fullmatch(r"'nonce-[A-Za-z0-9+/=]{24}'", v) for v in csp[name][1:]), csp[name]
    everything = " ".join(" ".join(v) for v in csp.values())
    assert "unsafe-inline" not in everything and "unsafe-eval" not in everything and "*" not in everything


class InlineCode(HTMLParser):
    """Collects what a strict policy blocks: handlers (on…=), style="", <script>/<style> bodies without a nonce."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.nonces: set[str] = set()
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        self.found += ["<%s %s=…>" % (tag, n) for n in names if n.startswith("on") or n == "style"]
        self.found += ["<%s href=javascript:…>" % tag for n in ("href", "src", "action")
                       if (names.get(n) or "").strip().lower().startswith("javascript:")]
        executable = tag == "script" and "src" not in names and (names.get("type") or "text/javascript") in (
            "text/javascript", "module", "application/javascript")
        if executable or tag == "style":
            if names.get("nonce"):
                self.nonces.add(names["nonce"] or "")
            else:
                self._open = tag

    def handle_data(self, data: str) -> None:
        if self._open:
            self.found.append("<%s>%s" % (self._open, data.strip()[:60]))

    def handle_endtag(self, tag: str) -> None:
        self._open = None


def inline_code(html: str) -> InlineCode:
    parser = InlineCode()
    parser.feed(html)
    return parser


@pytest.fixture
def site(world: Any, settings: Any) -> dict[str, Any]:
    """One of everything a visitor reaches: an archive item, a portal article, a published book, a contest."""
    settings.SULIEU_OCR_ENGINE = "reading.tests.factories.fake_ocr"
    from books.tests.factories import make_shelf
    from contests.tests.factories import make_bank, make_contest
    from portal.tests.factories import make_article, make_topic
    from reading.tests.factories import make_text_item

    item = make_text_item("Kế hoạch số 98-KH/TU về công tác lịch sử Đảng bộ xã Cam Lâm.", name="kh.txt",
                          org_unit=world.province, title="Kế hoạch <script>alert(1)</script> lịch sử")
    shelf = make_shelf(world)
    topic = make_topic()
    article = make_article(topic, "Sơ kết công tác lịch sử Đảng", sapo="<img src=x onerror=alert(1)>")
    make_bank()
    contest = make_contest()
    return {"item": item, "shelf": shelf, "topic": topic, "article": article, "contest": contest}


def public_urls(site: dict[str, Any]) -> list[str]:
    item, article, shelf, contest = site["item"], site["article"], site["shelf"], site["contest"]
    return [
        "/",  # portal home
        article.url,
        site["topic"].url,
        "/luu-tru/",  # reading room
        "/items/%s/" % item.pk,
        "/items/%s/print/" % item.pk,
        reverse("reading:timeline"),
        "/search/?q=l%E1%BB%8Bch+s%E1%BB%AD",
        "/books/",
        "/books/%s/" % shelf.book.slug,
        "/books/%s/%s/" % (shelf.book.slug, shelf.chapters[0].slug),
        "/contests/%s/" % contest.slug,
        "/contests/%s/leaderboard/" % contest.slug,
        "/api/v1/search?q=l%E1%BB%8Bch+s%E1%BB%AD",
        "/api/v1/items/%s" % item.pk,
        "/admin/login/",
        "/khong-co-trang-nay/",  # 404
    ]


def test_every_public_page_and_the_api_carry_the_strict_policy(site: dict[str, Any]) -> None:
    client = Client()
    for url in public_urls(site):
        response = client.get(url, follow=False)
        assert response.status_code == (404 if "khong-co" in url else 200), (url, response.status_code)
        csp = policy(response)
        assert_strict(csp)
        if response["Content-Type"].startswith("text/html"):
            found = inline_code(response.content.decode())
            assert found.found == [], (url, found.found)
            # a nonce on the page is this response's nonce, named in the header
            for nonce in found.nonces:
                assert "'nonce-%s'" % nonce in csp["script-src"] + csp["style-src"], url


def test_a_nonce_is_named_only_when_used_and_changes_with_every_response(site: dict[str, Any]) -> None:
    client = Client()
    url = "/items/%s/" % site["item"].pk  # OpenSeadragon's <style> carries the nonce
    first, second = client.get(url), client.get(url)
    nonces = [inline_code(r.content.decode()).nonces for r in (first, second)]
    assert len(nonces[0]) == 1 and len(nonces[1]) == 1 and nonces[0] != nonces[1]
    assert policy(first)["style-src"] == ["'self'", "'nonce-%s'" % nonces[0].pop()]
    assert policy(client.get("/luu-tru/"))["style-src"] == ["'self'"]


def test_the_back_office_has_its_stated_exception_and_nothing_more(site: dict[str, Any], world: Any) -> None:
    client = Client()
    client.force_login(world.superuser)
    urls = ["/admin/", "/admin/pages/%s/edit/" % site["article"].pk, "/admin/pages/%s/edit/" % site["shelf"].chapters[0].pk,
            "/admin/pages/%s/" % site["topic"].pk, "/admin/images/", "/admin/orgunits/", reverse("archive_admin:upload"),
            reverse("portal_admin:comments"), reverse("portal_admin:statistics"), reverse("books_admin:dashboard")]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        csp = policy(response)
        # Wagtail's widgets write inline <script>s: the one exception, stated in settings.SULIEU_CSP_ADMIN
        assert csp["script-src"] == ["'self'", "'unsafe-inline'"], url
        assert csp["style-src"] == ["'self'", "'unsafe-inline'"], url
        assert csp["script-src-attr"] == ["'none'"], url  # onclick= and friends stay blocked
        assert csp["default-src"] == ["'self'"] and csp["object-src"] == ["'none'"], url
        assert "unsafe-eval" not in response[HEADER] and "nonce-" not in response[HEADER], url


def test_our_back_office_views_hold_no_inline_code(site: dict[str, Any], world: Any) -> None:
    client = Client()
    client.force_login(world.superuser)
    for name in ("archive_admin:upload", "portal_admin:comments", "portal_admin:statistics", "books_admin:dashboard"):
        html = client.get(reverse(name)).content.decode()
        ours = html.split('<main', 1)[-1]  # Wagtail's own shell (sidebar, its scripts) is not ours to judge
        found = [f for f in inline_code(ours).found if not f.startswith("<script>")]
        assert found == [], (name, found)
        assert "<script>(function" not in ours and "onclick=" not in ours and 'style="' not in ours, name


def test_report_only_mode_sends_the_same_policies_as_report_only(site: dict[str, Any], world: Any,
                                                                  settings: Any) -> None:
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = None
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": directives}
    client = Client()
    response = client.get("/luu-tru/")
    assert HEADER not in response
    assert_strict(policy(response, HEADER + "-Report-Only"))
    client.force_login(world.superuser)
    admin = client.get("/admin/")
    assert HEADER not in admin
    assert policy(admin, HEADER + "-Report-Only")["script-src-attr"] == ["'none'"]


def test_other_security_headers_are_on_every_page(site: dict[str, Any]) -> None:
    client = Client()
    for url in public_urls(site):
        response = client.get(url)
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["X-Frame-Options"] == "SAMEORIGIN", url
        assert response["Referrer-Policy"] == "same-origin", url
