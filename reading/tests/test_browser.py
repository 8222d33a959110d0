"""A researcher's path in headless Chromium: search without diacritics → open a scanned item → flip pages →
see the terms highlighted → cite → download. This is the reading room's one test with real OCR."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reading.tests.factories import make_scanned_item, make_text_item, make_tree
from sulieu.tests.browser import browser_page, screenshot_dir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE1 = ["ĐẢNG BỘ XÃ CAM LÂM", "Số 12-BB/ĐU", "BIÊN BẢN", "Hội nghị chi bộ về tiếp quản xã năm 1975",
         "Chi bộ họp bàn việc ổn định đời sống nhân dân."]
PAGE2 = ["Hội nghị thống nhất giao nhiệm vụ cho các đồng chí.", "Biên bản lập xong lúc 11 giờ.",
         "T/M CHI BỘ", "Nguyễn Văn Ba"]


def test_researcher_finds_reads_cites_and_downloads_a_scanned_document(live_server, settings, tmp_path, world):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.SULIEU_OCR_ENGINE = "archive.ocr.ocrmypdf_page"  # the real thing, once
    _fonds, _series, file = make_tree(org_unit=world.commune)
    scan = make_scanned_item([PAGE1, PAGE2], tmp_path, name="bien-ban-1975.pdf", collection=file,
                             org_unit=world.commune, dpi=150)
    make_text_item("Kế hoạch tổ chức hội nghị tổng kết công tác năm 1976.", name="kh.txt", collection=file)
    shots = screenshot_dir(tmp_path / "shots")
    with browser_page() as page:
        page.goto(live_server.url + "/luu-tru/")
        page.screenshot(path=str(shots / "reading-1-home.png"), full_page=True)
        page.fill("input[name=q]", "bien ban chi bo")
        page.press("input[name=q]", "Enter")
        page.wait_for_url("**/search/?q=*")
        page.screenshot(path=str(shots / "reading-2-results.png"), full_page=True)
        page.locator("a[href^='/items/%s/']" % scan.pk).first.click()
        page.wait_for_url("**/items/%s/**" % scan.pk)
        page.wait_for_selector("#osd .openseadragon-canvas canvas", timeout=15000)
        page.wait_for_function("() => document.querySelector('#osd').dataset.loaded === '1'", timeout=15000)
        marks = page.locator(".page-text mark.hl").all_inner_texts()
        assert {"BIÊN", "BẢN"} <= set(marks) or {"Biên", "bản"} <= {m.capitalize() for m in marks}
        assert page.locator("#reader").get_attribute("data-page") == "1"
        # The same words marked on the page image: one overlay per OCR word box, inside the viewer
        boxes = page.locator("#osd .hl-box")
        assert boxes.count() >= 4  # BIÊN BẢN (heading), Biên bản/biên bản in the text, Chi bộ, chi bộ
        first = boxes.first.bounding_box()
        viewer = page.locator("#osd").bounding_box()
        assert first and viewer and first["width"] > 4 and first["height"] > 4
        assert viewer["x"] <= first["x"] and first["x"] + first["width"] <= viewer["x"] + viewer["width"] + 1
        page.screenshot(path=str(shots / "reading-3-item-page1.png"), full_page=True)

        page.locator("#reader .pager a[rel=next]").click()
        page.wait_for_selector("#reader[data-page='2']")
        page.wait_for_function("() => document.querySelector('#osd').dataset.loaded === '1'", timeout=15000)
        assert "page=2" in page.url
        assert "Biên" in " ".join(page.locator(".page-text mark.hl").all_inner_texts())
        page.screenshot(path=str(shots / "reading-4-item-page2.png"), full_page=True)

        page.locator("a[href='#cite']").click()
        citation = page.locator("#citation-text").inner_text()
        assert "Phông P12" in citation and "tài liệu số %s, tr. 2." % scan.pk in citation  # the page read
        page.locator("#cite").screenshot(path=str(shots / "reading-5-cite.png"))
        with page.expect_download() as csl_download:
            page.locator("a[href*='cite.json']").click()
        csl = json.loads(Path(csl_download.value.path()).read_text(encoding="utf-8"))
        assert csl[0]["archive_location"].startswith("Phông P12")

        with page.expect_download() as pdf_download:
            page.locator("a[href$='/download/pdf']").click()
        data = Path(pdf_download.value.path()).read_bytes()
        assert data.startswith(b"%PDF")
        page.set_viewport_size({"width": 390, "height": 844})  # a phone
        page.screenshot(path=str(shots / "reading-6-item-phone.png"), full_page=True)
