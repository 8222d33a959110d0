"""A compiler in headless Chromium: open a chapter → citation picker → search without diacritics → insert →
save → export DOCX from the back office → open it (python-docx) and find the footnote."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from books.tests.factories import make_shelf
from sulieu.tests.browser import browser_page, screenshot_dir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_compiler_cites_an_archive_item_and_finds_the_footnote_in_docx(live_server: Any, settings: Any,
                                                                       tmp_path: Path, world: Any) -> None:
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                                  "QUEUES": ["default", "ocr", "index"]}}
    # One writer at a time on the test database (in-memory SQLite locks whole tables): no autosave and no
    # editing-session pings racing the save.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    settings.WAGTAIL_EDITING_SESSION_PING_INTERVAL = 3_600_000
    world.superuser.set_password("pw-browser-1")
    world.superuser.save()
    shelf = make_shelf(world)
    chapter = shelf.chapters[1]
    shots = screenshot_dir(tmp_path / "shots")
    with browser_page() as page:
        page.goto(live_server.url + "/admin/login/")
        page.fill("input[name=username]", "root")
        page.fill("input[name=password]", "pw-browser-1")
        page.locator("button[type=submit]").click()
        page.wait_for_url("**/admin/")
        page.goto(live_server.url + "/admin/pages/%d/edit/" % chapter.pk)
        page.wait_for_selector("[data-contentpath=body]")
        page.locator("[data-contentpath=body] button.c-sf-add-button").last.click()
        page.get_by_role("option", name=re.compile("Chú thích, trích dẫn")).click()
        block = page.locator("[data-contentpath=body] [data-contentpath=item]").last
        block.locator("button", has_text="Chọn tài liệu trong kho").click()
        search = page.locator(".modal input[name=q]")
        search.wait_for()
        page.screenshot(path=str(shots / "books-1-picker.png"), full_page=True)
        with page.expect_response(lambda r: "q=dinh" in r.url):  # the typed search's results, not the first list
            search.fill("dinh lang")  # the text has "đình làng": found without diacritics
        page.wait_for_load_state("networkidle")  # a click on a list being replaced does not close the modal
        choice = page.locator(".modal a[data-chooser-modal-choice]", has_text="98-KH/TU")
        choice.first.wait_for(timeout=15000)
        page.screenshot(path=str(shots / "books-2-results.png"), full_page=True)
        choice.first.click()
        page.locator(".modal").wait_for(state="hidden")
        page.locator("[data-contentpath=body] [data-contentpath=locator] input").last.fill("5")
        page.screenshot(path=str(shots / "books-3-inserted.png"), full_page=True)
        with page.expect_navigation():
            page.locator("button.action-save").first.click()
        page.screenshot(path=str(shots / "books-4-saved.png"), full_page=True)

        chapter.refresh_from_db()
        latest = chapter.get_latest_revision_as_object()
        cited = [b.value["item"].pk for b in latest.body if b.block_type == "citation" and b.value["item"]]
        assert cited[-1] == shelf.plan.pk

        page.goto(live_server.url + "/admin/books/")
        page.locator("form.books-export button[data-format=docx]").first.click()
        page.wait_for_selector("#export-download", timeout=60000)
        page.screenshot(path=str(shots / "books-5-export.png"), full_page=True)
        with page.expect_download() as download:
            page.locator("#export-download").click()
        path = tmp_path / "book.docx"
        download.value.save_as(str(path))

    import docx

    document = docx.Document(str(path))
    footnotes = next(p for p in document.part.package.parts if p.partname.endswith("/footnotes.xml"))
    xml = footnotes.blob.decode()
    texts = re.findall(r'<w:footnote [^>]*w:id="(\d+)"[^>]*>(.*?)</w:footnote>', xml, flags=re.S)
    chapter_two = [re.sub(r"<[^>]+>", "", body) for n, body in texts if int(n) > 0][-2:]
    # chapter II now has two notes: the one it had and the one just inserted (same item right after: "Tlđd")
    assert "98-KH/TU" in chapter_two[0] and "tr. 2" in chapter_two[0]
    assert "Tlđd, tr. 5" in chapter_two[1]
