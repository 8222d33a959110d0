"""A taker on a phone: register, start, answer every question, see the clock, submit, see score and rank."""

from __future__ import annotations

import pytest

from contests.models import Answer, Attempt
from contests.tests.factories import make_bank, make_contest
from sulieu.tests.browser import ARGS, CHROMIUM, screenshot_dir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_phone_sized_taker_takes_an_attempt(live_server, tmp_path, world):
    import os

    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    make_bank(n=8, multiple_every=4)
    contest = make_contest(per_attempt=4)
    shots = screenshot_dir(tmp_path / "shots")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(locale="vi-VN", viewport={"width": 360, "height": 740}, is_mobile=True,
                                      has_touch=True, device_scale_factor=2)
        page = context.new_page()
        page.on("dialog", lambda d: d.accept())
        page.goto(live_server.url + "/contests/%s/" % contest.slug)
        page.fill("input[name=name]", "Nguyễn Thị Hoa")
        page.fill("input[name=unit_code]", world.commune.code)
        page.fill("input[name=birth_year]", "1998")
        page.fill("input[name=contact]", "0905 123 456")
        page.screenshot(path=str(shots / "contest-1-register.png"), full_page=True)
        page.click("#register button[type=submit]")
        page.wait_for_selector("#lobby:not([hidden])")
        page.click("#start")
        page.wait_for_selector("#paper:not([hidden]) .question")
        assert page.locator(".question").count() == 4
        assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
        clock = page.locator("#clock").inner_text()
        assert clock.startswith(("09:", "10:"))
        for q in page.locator(".question").all():
            q.locator(".option").first.click()
        page.wait_for_function("() => document.getElementById('saved').textContent === 'Đã lưu'")
        page.fill("#prediction", "1500")
        page.screenshot(path=str(shots / "contest-2-paper.png"), full_page=True)
        attempt = Attempt.objects.get()
        assert Answer.objects.filter(attempt=attempt, option_ids__isnull=False).count() == 4
        page.click("#submit")
        page.wait_for_selector("#result:not([hidden])")
        page.wait_for_function("() => document.querySelector('#result .rank').textContent.includes('1')")
        text = page.locator("#result").inner_text()
        assert "câu" in text and "điểm" in text
        page.screenshot(path=str(shots / "contest-3-result.png"), full_page=True)
        page.click("#result a.cert")
        page.wait_for_selector(".certificate svg")
        assert "Nguyễn Thị Hoa" in page.locator(".certificate").inner_text()
        page.screenshot(path=str(shots / "contest-4-certificate.png"), full_page=True)
        context.close()
        browser.close()
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None and attempt.prediction == 1500 and not attempt.auto_submitted
