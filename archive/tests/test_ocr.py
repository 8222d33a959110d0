from __future__ import annotations

import pytest

from archive import samples
from archive.models import Item, ItemFile, ItemPage

pytestmark = pytest.mark.django_db

PAGE1 = ["TỈNH ỦY KHÁNH HÒA", "Số 98-KH/TU", "KẾ HOẠCH", "sơ kết thực hiện Chỉ thị số 20-CT/TW"]
PAGE2 = ["Các cấp ủy tổ chức sơ kết ở cơ sở.", "T/M BAN THƯỜNG VỤ", "Nguyễn Khắc Toàn"]


def test_scanned_pdf_ocred_page_by_page_with_confidence(tmp_path, ingest):
    from django_tasks_db.models import DBTaskResult

    folder = tmp_path / "in"
    folder.mkdir()
    samples.make_scan_pdf(folder / "scan.pdf", [PAGE1, PAGE2])
    samples.make_photo(folder / "anh.jpg")
    summary = ingest(folder)
    assert summary["imported"] == 2 and summary["failed"] == 0
    scan = Item.objects.get(original_name="scan.pdf")
    pages = list(scan.pages.order_by("n"))
    assert [p.n for p in pages] == [1, 2] and all(p.ocr_state == "done" for p in pages)
    assert "98-KH/TU" in pages[0].text and "sơ kết" in pages[1].text
    assert all(p.ocr_confidence is not None and p.ocr_confidence > 50 for p in pages)
    assert scan.symbol == "98-KH/TU" and scan.reliability == "02"
    # one task per page (fan-out), and a searchable PDF assembled from them
    page_tasks = DBTaskResult.objects.filter(task_path="archive.tasks.item_ocr_page",
                                             args_kwargs__kwargs__item_id=scan.pk)
    assert sorted(t.args_kwargs["kwargs"]["n"] for t in page_tasks) == [1, 2]
    searchable = scan.files.get(role=ItemFile.Role.SEARCHABLE_PDF).blob
    import pypdf

    from archive.storage import object_path

    reader = pypdf.PdfReader(object_path(searchable.sha256))
    assert len(reader.pages) == 2 and "98" in reader.pages[0].extract_text()
    assert scan.files.filter(role=ItemFile.Role.PAGE_IMAGE).count() == 2
    photo = Item.objects.get(original_name="anh.jpg")
    assert photo.kind == "photo" and photo.status == "done"


def test_ocr_page_task_is_idempotent(tmp_path, ingest):
    from archive.pipeline.engine import run_ocr_page

    folder = tmp_path / "in"
    folder.mkdir()
    samples.make_scan_tiff(folder / "scan.tif", [PAGE1])
    ingest(folder)
    item = Item.objects.get()
    page = ItemPage.objects.get(item=item)
    versions = page.versions.count()
    run_ocr_page(item.pk, 1)  # a duplicate delivery of the task: nothing happens
    assert page.versions.count() == versions and item.status == "done"


# --- One Tesseract pass per page (archive.ocr.tesseract), the resolution of images without metadata -------------

SCAN_LINES = ["ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA", "Số 238/UBND-KGVX", "Thực hiện Chỉ thị của Ban Bí thư",
              "về đẩy mạnh các phong trào thi đua yêu nước"]


def _image_file(path, lines, *, fmt: str, dpi=None):
    image = samples.render_page(lines, dpi=150, height_cm=8.0)
    options = {"dpi": dpi} if dpi else {}
    image.save(path, format=fmt, **options)
    return path


def test_page_image_without_resolution_is_read_at_the_dpi_of_an_a4_page() -> None:
    from archive.formats import page_dpi

    assert page_dpi(2480, 3508, None) == 300 and page_dpi(1654, 2339, None) == 200
    assert page_dpi(2480, 3508, 300) == 300 and page_dpi(1240, 1754, 150.0) == 150
    # A camera's "72 dpi" on a 3000×4000 photo of a page would make it 1.4 m high: the A4 estimate wins.
    assert page_dpi(3000, 4000, 72) == 342
    assert page_dpi(2480, 3508, 1) == 300  # JFIF's "1:1" density


def test_image_page_is_given_to_tesseract_as_it_is(tmp_path) -> None:
    from archive.formats import assumed_dpi, image_page

    png = _image_file(tmp_path / "a.png", SCAN_LINES, fmt="PNG").read_bytes()
    data, dpi = image_page(png, 1)
    assert data is png  # no decoding and re-encoding of the page
    assert dpi == assumed_dpi(1240, 472) == 106  # no metadata: its long side taken as an A4 page's
    tif = tmp_path / "two.tif"
    samples.make_scan_tiff(tif, [SCAN_LINES, SCAN_LINES])
    second, dpi = image_page(tif.read_bytes(), 2)
    assert second[:8] == b"\x89PNG\r\n\x1a\n" and dpi == 150  # a frame of a multi-page TIFF: PNG, its own dpi


def test_each_page_is_read_by_one_tesseract_process(tmp_path, ingest, monkeypatch) -> None:
    import subprocess

    from archive.ocr import tesseract

    calls: list[list[str]] = []
    real_run = subprocess.run

    def counting_run(command, *args, **kwargs):
        if str(command[0]).endswith("tesseract") and "--version" not in command:
            calls.append([str(c) for c in command])
        return real_run(command, *args, **kwargs)

    monkeypatch.setattr(tesseract.subprocess, "run", counting_run)
    folder = tmp_path / "in"
    folder.mkdir()
    samples.make_scan_pdf(folder / "scan.pdf", [PAGE1, PAGE2])
    _image_file(folder / "trang.png", SCAN_LINES, fmt="PNG")
    summary = ingest(folder)
    assert summary["imported"] == 2 and summary["failed"] == 0
    assert len(calls) == 3  # two PDF pages and one image: one recognition each
    assert all(c[-3:] == ["txt", "hocr", "pdf"] for c in calls)  # text, boxes and PDF from the same pass
    png = Item.objects.get(original_name="trang.png")
    assert png.files.filter(role=ItemFile.Role.SEARCHABLE_PDF).exists()


def test_stored_text_of_vietnamese_page_images_keeps_the_diacritics(tmp_path, ingest) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _image_file(folder / "khong-dpi.png", SCAN_LINES, fmt="PNG")
    _image_file(folder / "anh.jpg", SCAN_LINES, fmt="JPEG", dpi=(150, 150))
    ingest(folder)
    for name in ("khong-dpi.png", "anh.jpg"):
        page = ItemPage.objects.get(item__original_name=name)
        for words in ("ỦY BAN NHÂN DÂN", "KHÁNH HÒA", "238/UBND-KGVX", "Chỉ thị", "Ban Bí thư", "thi đua yêu nước"):
            assert words in page.text, (name, words, page.text)
        assert page.ocr_confidence is not None and page.ocr_confidence > 70
        assert page.versions.get().source == "ocr"
        # where each word is on the page: boxes in the pixels tesseract read, inside the page
        from archive.ocr.words import words_load
        from archive.storage import read_bytes

        stored = page.item.files.get(role=ItemFile.Role.PAGE_WORDS, page_n=1)
        boxes = words_load(read_bytes(stored.blob.sha256))
        assert boxes is not None and boxes["w"] > 1000 and boxes["h"] > 300  # the test image: 1240 × 472
        texts = [w[4] for w in boxes["words"]]
        assert "KHÁNH" in texts and "238/UBND-KGVX" in " ".join(texts)
        assert all(0 <= x0 < x1 <= boxes["w"] and 0 <= y0 < y1 <= boxes["h"] for x0, y0, x1, y1, _ in boxes["words"])
        lines = {}
        for x0, y0, _x1, _y1, text in boxes["words"]:
            lines.setdefault(text, (x0, y0))
        assert lines["KHÁNH"][1] < lines["Ban"][1]  # the heading is above the body text


def test_scanned_pdf_page_keeps_its_image_under_the_text_layer(tmp_path) -> None:
    import io

    import pypdf

    from archive import formats
    from archive.ocr.tesseract import pdf_page_image, tesseract_page

    scan = samples.make_scan_pdf(tmp_path / "scan.pdf", [PAGE1]).read_bytes()
    page_pdf = formats.pdf_page(scan, 1)
    original = pypdf.PdfReader(io.BytesIO(page_pdf)).pages[0]
    _png, dpi = pdf_page_image(page_pdf)
    assert dpi == 150  # the resolution of the image inside, not an assumed one
    import img2pdf

    buffer = io.BytesIO()
    samples.render_page(PAGE1, dpi=200, height_cm=29.7).save(buffer, format="JPEG", quality=60)
    a4 = (img2pdf.mm_to_pt(210), img2pdf.mm_to_pt(297))
    jpeg_page = img2pdf.convert(buffer.getvalue(), layout_fun=img2pdf.get_layout_fun(a4))
    assert pdf_page_image(jpeg_page) == (buffer.getvalue(), 200)  # the scanner's JPEG itself
    result = tesseract_page(page_pdf, is_pdf=True)
    assert "98-KH/TU" in result.text and "ocrx_word" in result.hocr
    page = pypdf.PdfReader(io.BytesIO(result.pdf)).pages[0]
    assert page.mediabox == original.mediabox
    images = list(page.images)
    assert len(images) == 1 and images[0].image.size == tuple(original.images[0].image.size)
    assert "98-KH/TU" in page.extract_text()


def test_rotated_pdf_page_is_read_upright(tmp_path) -> None:
    import io

    import pypdf

    from archive.ocr.tesseract import tesseract_page

    scan = samples.make_scan_pdf(tmp_path / "scan.pdf", [PAGE1]).read_bytes()
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(scan))
    # The scanner stored the page sideways and set /Rotate so viewers show it upright.
    writer.pages[0].transfer_rotation_to_content()
    writer.pages[0].rotate(90)
    writer.pages[0].transfer_rotation_to_content()
    writer.pages[0].rotate(-90)
    out = io.BytesIO()
    writer.write(out)
    result = tesseract_page(out.getvalue(), is_pdf=True)
    assert "98-KH/TU" in result.text
    page = pypdf.PdfReader(io.BytesIO(result.pdf)).pages[0]
    # Stored as shown (the 21×12 cm page is wider than high), the text layer on top of it.
    assert page.rotation == 0 and page.mediabox.width > page.mediabox.height
    assert "98-KH/TU" in page.extract_text()


def test_missing_tesseract_is_a_clear_page_error(tmp_path, monkeypatch) -> None:
    from archive.ocr import tesseract

    monkeypatch.setattr(tesseract.shutil, "which", lambda name: None)
    png = _image_file(tmp_path / "a.png", SCAN_LINES, fmt="PNG").read_bytes()
    with pytest.raises(tesseract.TesseractError, match="tesseract-ocr"):
        tesseract.tesseract_page(png, is_pdf=False, dpi=150)


def test_unreadable_page_image_is_a_clear_page_error(tmp_path) -> None:
    from archive.ocr import tesseract

    with pytest.raises(tesseract.TesseractError, match="tesseract failed"):
        tesseract.tesseract_page(b"\x89PNG\r\n\x1a\nnot really an image <script>alert(1)</script>", is_pdf=False)


HOCR = """<?xml version="1.0" encoding="UTF-8"?>
<html><body>
 <div class='ocr_page' id='page_1' title='image "page"; bbox 0 0 2480 3508; ppageno 0'>
  <div class='ocr_carea' id='block_1_1' title="bbox 296 300 1200 360">
   <span class='ocr_line' id='line_1_1' title="bbox 296 300 1200 360; baseline 0 -8">
    <span class='ocrx_word' id='word_1_1' title='bbox 296 300 420 360; x_wconf 96'>Kế</span>
    <span class='ocrx_word' id='word_1_2' title='bbox 440 300 640 360; x_wconf 91'><strong>hoạch</strong></span>
    <span class='ocrx_word' id='word_1_3' title='bbox 660 300 900 360; x_wconf 88'>98-KH/TU&amp;</span>
    <span class='ocrx_word' id='word_1_4' title='bbox 900 300 900 360; x_wconf 0'>empty-box</span>
    <span class='ocrx_word' id='word_1_5' title='bbox 910 300 990 360; x_wconf 0'> </span>
    <span class='ocrx_word' id='word_1_6' title='bbox 1000 300 1200 360; x_wconf 70'>&lt;script&gt;</span>
   </span>
  </div>
 </div>
</body></html>"""


def test_word_boxes_from_hocr() -> None:
    from archive.ocr.words import hocr_words, words_json, words_load

    words = hocr_words(HOCR)
    assert words is not None and (words["w"], words["h"]) == (2480, 3508)
    assert words["words"] == [[296, 300, 420, 360, "Kế"], [440, 300, 640, 360, "hoạch"],
                              [660, 300, 900, 360, "98-KH/TU&"], [1000, 300, 1200, 360, "<script>"]]
    assert words_load(words_json(words)) == words
    assert hocr_words("") is None and hocr_words("<html>no words</html>") is None
    assert hocr_words(HOCR.replace("bbox 0 0 2480 3508", "bbox 0 0 0 0")) is None
    for bad in (b"", b"not json", b"[]", b'{"w": 0, "h": 5, "words": []}', b'{"w": "x", "h": 5, "words": []}'):
        assert words_load(bad) is None
    kept = words_load(b'{"w": 10, "h": 20, "words": [[1, 2, 3, 4, "a"], [1, 2, "3", 4, "b"], "junk", [1, 2, 3]]}')
    assert kept == {"w": 10, "h": 20, "words": [[1, 2, 3, 4, "a"]]}


def test_scan_is_cleaned_before_recognition_on_the_same_pixel_grid() -> None:
    """Greyscale and, from 200 dpi, a 3×3 median: an isolated speck goes, a stroke stays, the size is kept."""
    import io

    from PIL import Image

    from archive.ocr.tesseract import cleaned

    page = Image.new("RGB", (60, 40), "white")
    page.putpixel((10, 10), (0, 0, 0))  # speckle
    for x in range(30, 50):  # a stroke three pixels thick
        for y in range(20, 23):
            page.putpixel((x, y), (0, 0, 0))
    raw = io.BytesIO()
    page.save(raw, format="JPEG", quality=95)
    for dpi, speck_kept in ((300, False), (150, True)):
        with Image.open(io.BytesIO(cleaned(raw.getvalue(), dpi=dpi))) as out:
            assert out.mode == "L" and out.size == (60, 40)
            assert (out.getpixel((10, 10)) < 128) is speck_kept
            assert out.getpixel((40, 21)) < 128
    assert cleaned(b"not an image", dpi=300) == b"not an image"
    deep = io.BytesIO()
    Image.new("I;16", (8, 8), 40000).save(deep, format="PNG")
    with Image.open(io.BytesIO(cleaned(deep.getvalue(), dpi=300))) as out:
        assert out.mode == "L" and 150 < out.getpixel((4, 4)) < 160  # 16-bit scaled to 8 (40000 / 257), not clipped
