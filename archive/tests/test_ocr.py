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
    from archive.ocr.scan import DamagedPage

    with pytest.raises(DamagedPage, match="hỏng hoặc bị cắt cụt") as raised:
        tesseract.tesseract_page(b"\x89PNG\r\n\x1a\nnot really an image <script>alert(1)</script>", is_pdf=False)
    assert "<script>" not in str(raised.value) and "\n" not in str(raised.value)


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

    from archive.ocr.scan import DamagedPage, decode_scan

    page = Image.new("RGB", (60, 40), "white")
    page.putpixel((10, 10), (0, 0, 0))  # speckle
    for x in range(30, 50):  # a stroke three pixels thick
        for y in range(20, 23):
            page.putpixel((x, y), (0, 0, 0))
    raw = io.BytesIO()
    page.save(raw, format="JPEG", quality=95)
    for dpi, speck_kept in ((300, False), (150, True)):
        with Image.open(io.BytesIO(decode_scan(raw.getvalue(), dpi=dpi).tesseract)) as out:
            assert out.mode == "L" and out.size == (60, 40)
            assert (out.getpixel((10, 10)) < 128) is speck_kept
            assert out.getpixel((40, 21)) < 128
    with pytest.raises(DamagedPage):
        decode_scan(b"not an image", dpi=300)
    deep = io.BytesIO()
    Image.new("I;16", (8, 8), 40000).save(deep, format="PNG")
    with Image.open(io.BytesIO(decode_scan(deep.getvalue(), dpi=300).tesseract)) as out:
        assert out.mode == "L" and 150 < out.getpixel((4, 4)) < 160  # 16-bit scaled to 8 (40000 / 257), not clipped


# --- One decode per page, the page PDF from the scan's own data (archive.ocr.scan, archive.ocr.pdfpage) ---------

def _noisy_page(mode: str, *, dpi: int = 100):
    """An A4 page at ``dpi`` with text, grain and (in colour) tinted paper: many grey values, like a real scan."""
    import numpy as np
    from PIL import Image

    page = samples.render_page(SCAN_LINES, dpi=dpi, height_cm=29.7, noise=False).convert("RGB")
    pixels = np.asarray(page).astype(np.int16)
    rng = np.random.default_rng(7)
    pixels = pixels + rng.integers(-20, 20, size=pixels.shape, dtype=np.int16)
    if mode == "RGB":
        pixels = pixels + np.array([12, 0, -25], dtype=np.int16)  # aged paper
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    return image if mode == "RGB" else image.convert("L")


@pytest.mark.parametrize(("fmt", "mode"), [("PNG", "RGB"), ("PNG", "L"), ("JPEG", "RGB"), ("JPEG", "L")])
def test_tesseract_reads_the_same_grey_pixels_as_before(fmt, mode) -> None:
    """The one decode gives Tesseract exactly what OpenCV's grey decode + 3×3 median gave (the text stays the
    same), and the page image comes from the same pixels."""
    import io

    import cv2
    import numpy as np
    from PIL import Image

    from archive.ocr.scan import PAGE_IMAGE_BOX, decode_scan, page_image, thumbnail_size

    buffer = io.BytesIO()
    page = _noisy_page(mode, dpi=150 if fmt == "PNG" else 300)  # a noisy 300-dpi PNG takes seconds to write
    page.save(buffer, format=fmt, **({"quality": 50} if fmt == "JPEG" else {}))
    data = buffer.getvalue()
    before = cv2.medianBlur(cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE), 3)
    scan = decode_scan(data, dpi=300)
    width, height = page.size
    magic, size, depth, pixels = scan.tesseract.split(b"\n", 3)
    assert (magic, size, depth) == (b"P5", b"%d %d" % (width, height), b"255")
    assert np.array_equal(np.frombuffer(pixels, np.uint8).reshape(height, width), before)
    assert scan.size == (width, height) and scan.pixels is not None
    assert scan.pixels.ndim == (3 if mode == "RGB" else 2)
    # a 300-dpi JPEG's page image comes from a reduced decode (half: still ≥ 1200 wide); a PNG's from its pixels
    assert scan.pixels.shape[1] == (width // 2 if fmt == "JPEG" else width)
    target = thumbnail_size(scan.size, PAGE_IMAGE_BOX)
    assert target[0] == 1200
    with Image.open(io.BytesIO(page_image(scan.pixels, target))) as shown:
        assert shown.format == "JPEG" and shown.size == target and shown.mode == mode


def test_thumbnail_size_is_pillows() -> None:
    from PIL import Image

    from archive.ocr.scan import pdf_image_size, thumbnail_size

    for size in [(2480, 3508), (1654, 2339), (3508, 2480), (1201, 2401), (999, 5000), (5000, 7), (1200, 2400),
                 (300, 200), (4000, 3000), (1241, 1754), (2551, 3301)]:
        for box in [(1200, 2400), (300, 600), (2000, 4000)]:
            image = Image.new("1", size)
            image.thumbnail(box)
            assert thumbnail_size(size, box) == image.size, (size, box)
    assert pdf_image_size(595.28, 841.89) == (827, 1170)  # A4 at 100 dpi, as pdfium renders it (rounded up)


@pytest.mark.parametrize(("name", "fmt", "mode"), [("mau.png", "PNG", "RGB"), ("xam.png", "PNG", "L"),
                                                   ("mau.jpg", "JPEG", "RGB"), ("xam.jpg", "JPEG", "L")])
def test_page_files_of_an_image_keep_its_pixels_under_the_text_layer(tmp_path, ingest, name, fmt, mode) -> None:
    import io

    import numpy as np
    import pikepdf
    import pypdf
    from PIL import Image

    from archive.storage import read_bytes

    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / name
    _noisy_page(mode).save(path, format=fmt, dpi=(100, 100), **({"quality": 60} if fmt == "JPEG" else {}))
    summary = ingest(folder)
    assert summary["imported"] == 1 and summary["failed"] == 0
    item = Item.objects.get()
    assert "KHÁNH HÒA" in item.pages.get().text
    files = {f.role: f for f in item.files.all()}
    page_pdf = read_bytes(files[ItemFile.Role.PAGE_PDF].blob.sha256)
    assert files[ItemFile.Role.SEARCHABLE_PDF].blob == files[ItemFile.Role.PAGE_PDF].blob  # one page: no copy
    page = pypdf.PdfReader(io.BytesIO(page_pdf)).pages[0]
    # the paper's size at the scan's resolution, the text layer on it, the original pixels in it
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    text = page.extract_text()
    assert "KHÁNH HÒA" in text and "238/UBND-KGVX" in text
    images = list(page.images)
    assert len(images) == 1
    if fmt == "JPEG":  # the scanner's JPEG itself
        with pikepdf.open(io.BytesIO(page_pdf)) as pdf:
            (stream,) = pdf.pages[0].get_images().values()
            assert stream.read_raw_bytes() == path.read_bytes()
    else:
        with Image.open(path) as original:
            assert np.array_equal(np.asarray(images[0].image), np.asarray(original))  # lossless
    # the page image (≤ 1200 wide: this page is smaller, so its own size) and the thumbnail
    with Image.open(io.BytesIO(read_bytes(files[ItemFile.Role.PAGE_IMAGE].blob.sha256))) as shown:
        assert shown.format == "JPEG" and shown.size == (826, 1169) and shown.mode == mode
    expected = Image.new("1", (826, 1169))
    expected.thumbnail((300, 600))
    with Image.open(io.BytesIO(read_bytes(files[ItemFile.Role.THUMBNAIL].blob.sha256))) as thumb:
        assert thumb.format == "JPEG" and thumb.size == expected.size


def test_scanned_pdf_pages_and_a_text_page_make_one_searchable_pdf(tmp_path, ingest) -> None:
    """A PDF of two scans around a born-digital page: each scan gets its text layer, the text page stays as
    it is, all in order in one searchable PDF; page images at 100 dpi."""
    import io

    import img2pdf
    import pypdf
    from PIL import Image

    from archive.storage import read_bytes

    scans = []
    for lines in (PAGE1, PAGE2):
        buffer = io.BytesIO()
        samples.render_page(lines, dpi=150, height_cm=29.7).convert("RGB").save(buffer, format="JPEG", quality=70)
        a4 = (img2pdf.mm_to_pt(210), img2pdf.mm_to_pt(297))
        scans.append(pypdf.PdfReader(io.BytesIO(img2pdf.convert(buffer.getvalue(),
                                                                layout_fun=img2pdf.get_layout_fun(a4)))))
    text_pdf = samples.make_text_pdf(tmp_path / "t.pdf", [["Báo cáo số 12-BC/ĐU về công tác lưu trữ năm 2020 "
                                                            "của Đảng ủy xã, gửi các chi bộ và các ban."]])
    writer = pypdf.PdfWriter()
    writer.add_page(scans[0].pages[0])
    writer.append(str(text_pdf))
    writer.add_page(scans[1].pages[0])
    folder = tmp_path / "in"
    folder.mkdir()
    with open(folder / "hon-hop.pdf", "wb") as stream:
        writer.write(stream)
    summary = ingest(folder)
    assert summary["imported"] == 1 and summary["failed"] == 0
    item = Item.objects.get()
    pages = list(item.pages.order_by("n"))
    assert [p.ocr_state for p in pages] == ["done", "none", "done"]
    searchable = pypdf.PdfReader(io.BytesIO(read_bytes(item.files.get(role=ItemFile.Role.SEARCHABLE_PDF)
                                                       .blob.sha256)))
    assert len(searchable.pages) == 3
    texts = [p.extract_text() for p in searchable.pages]
    assert "98-KH/TU" in texts[0] and "12-BC" in texts[1] and "sơ kết" in texts[2]
    assert len(list(searchable.pages[0].images)) == 1 and len(list(searchable.pages[1].images)) == 0
    with Image.open(io.BytesIO(read_bytes(item.files.get(role=ItemFile.Role.THUMBNAIL).blob.sha256))) as thumb:
        assert thumb.size == (300, 424)  # made once, by the OCR step from page 1's image
    for n in (1, 3):
        image = item.files.get(role=ItemFile.Role.PAGE_IMAGE, page_n=n)
        with Image.open(io.BytesIO(read_bytes(image.blob.sha256))) as shown:
            assert shown.size == (827, 1170)  # A4 at 100 dpi, as the reading room renders PDF pages


def _damaged_png(tmp_path):
    """A PNG whose chunks are whole (right lengths and CRCs) but whose compressed pixels are garbage."""
    import io
    import struct
    import zlib

    from PIL import Image

    buffer = io.BytesIO()
    samples.render_page(SCAN_LINES, dpi=150, height_cm=8.0).save(buffer, format="PNG")
    data = bytearray(buffer.getvalue())
    at = data.index(b"IDAT") - 4
    length = struct.unpack(">I", data[at:at + 4])[0]
    body = bytes(b ^ 0x5A for b in data[at + 8 + 10:at + 8 + length])
    data[at + 8 + 10:at + 8 + length] = body
    data[at + 8 + length:at + 12 + length] = struct.pack(">I", zlib.crc32(bytes(data[at + 4:at + 8 + length])))
    path = tmp_path / "hong.png"
    path.write_bytes(bytes(data))
    with pytest.raises(Exception):  # noqa: B017, PT011 - whatever Pillow raises: it cannot decode it
        Image.open(io.BytesIO(bytes(data))).load()
    return path


def test_damaged_png_page_fails_clearly_at_the_ocr_step_nothing_lost(tmp_path, ingest) -> None:
    from archive.storage import read_bytes

    folder = tmp_path / "in"
    folder.mkdir()
    damaged = _damaged_png(folder)
    whole = _image_file(tmp_path / "whole.png", SCAN_LINES, fmt="PNG").read_bytes()
    (folder / "cut.png").write_bytes(whole[: len(whole) // 2])
    summary = ingest(folder)
    failures = {f["path"].rsplit("/", 1)[-1]: f["error"] for f in summary["failures"]}
    assert "hỏng" in failures["cut.png"]  # cut short: refused whole at extraction, as before
    item = Item.objects.get(original_name="hong.png")
    page = item.pages.get()
    assert page.ocr_state == "failed" and page.error.startswith("Ảnh trang hỏng hoặc bị cắt cụt")
    assert "\n" not in page.error
    event = item.events.get(kind="ocred")
    assert event.outcome == "warning" and event.data["failed_pages"] == [1]
    assert item.kind != "photo"  # not taken for a photo because its OCR failed
    assert read_bytes(item.original.sha256) == damaged.read_bytes()  # the original kept byte for byte


def test_damaged_scan_inside_a_pdf_fails_clearly_at_the_ocr_step(tmp_path, ingest) -> None:
    import io

    import img2pdf
    import pikepdf

    buffer = io.BytesIO()
    samples.render_page(PAGE1, dpi=150, height_cm=29.7).convert("RGB").save(buffer, format="JPEG", quality=70)
    jpeg = buffer.getvalue()
    pdf = pikepdf.open(io.BytesIO(img2pdf.convert(jpeg)))
    image = next(iter(pdf.pages[0].get_images().values()))
    image.write(jpeg[: len(jpeg) // 3], filter=pikepdf.Name.DCTDecode)  # the scan cut short inside a whole PDF
    folder = tmp_path / "in"
    folder.mkdir()
    pdf.save(folder / "scan.pdf")
    summary = ingest(folder)
    assert summary["imported"] == 1
    page = Item.objects.get().pages.get()
    assert page.ocr_state == "failed" and page.error.startswith("Ảnh trang hỏng hoặc bị cắt cụt")


def test_whole_png_and_jpeg_are_checked_without_decoding(tmp_path) -> None:
    import io

    from PIL import Image

    from archive.formats import BadInput, extract_image
    from archive.ocr.scan import looks_whole as _looks_whole

    png = _image_file(tmp_path / "a.png", SCAN_LINES, fmt="PNG").read_bytes()
    jpeg = _image_file(tmp_path / "a.jpg", SCAN_LINES, fmt="JPEG").read_bytes()
    assert _looks_whole(png, "PNG") and _looks_whole(jpeg, "JPEG")
    assert not _looks_whole(png[:-20], "PNG") and not _looks_whole(png[: len(png) // 2], "PNG")
    assert not _looks_whole(jpeg[: len(jpeg) // 2], "JPEG")
    flipped = bytearray(png)
    flipped[len(png) // 2] ^= 0xFF
    assert not _looks_whole(bytes(flipped), "PNG")  # a CRC fails
    # a JPEG with bytes after its end (some cameras): not "whole" by the quick look, so decoded as before: fine
    assert extract_image(jpeg + b"trailer" * 10).pages[0].needs_ocr
    for cut in (png[: len(png) // 2], jpeg[: len(jpeg) // 2]):
        with pytest.raises(BadInput, match="hỏng"):
            extract_image(cut)
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"


def test_page_of_a_pdf_keeps_inherited_size_and_resources(tmp_path) -> None:
    import io

    import pypdf

    from archive.ocr.pdfpage import page_of

    scan = samples.make_scan_pdf(tmp_path / "scan.pdf", [PAGE1, PAGE2]).read_bytes()
    whole = pypdf.PdfReader(io.BytesIO(scan))
    for n in (1, 2):
        page = pypdf.PdfReader(io.BytesIO(page_of(scan, n))).pages[0]
        assert page.mediabox == whole.pages[n - 1].mediabox
        assert page.images[0].image.size == whole.pages[n - 1].images[0].image.size
    one = samples.make_scan_pdf(tmp_path / "one.pdf", [PAGE1]).read_bytes()
    assert page_of(one, 1) is one  # a one-page PDF is its own page
