"""Identify a file by its bytes (never by its name) and extract its text, page by page.

Each function raises :class:`BadInput` with a message for people when a file cannot be handled;
the pipeline records that message on the item and keeps the original.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from archive.htmlmeta import html_metadata
from archive.officetext import DocxError, docx_text

log = logging.getLogger("sulieu.archive.formats")

# A page with fewer letters than this in its text layer is treated as a scan and OCRed.
MIN_PAGE_LETTERS = 20
MAX_ZIP_RATIO = 200


class BadInput(Exception):
    """A file we cannot use; ``str(exc)`` is shown to people."""


@dataclass
class Identified:
    format: str  # pdf, docx, odt, doc, html, text, image, audio, video
    mime: str
    kind: str  # ItemKind value


@dataclass
class PageText:
    n: int
    text: str
    needs_ocr: bool = False


@dataclass
class Extracted:
    pages: list[PageText]
    metadata: dict[str, Any] = field(default_factory=dict)
    converted: bytes | None = None  # e.g. DOC converted to DOCX
    converted_mime: str = ""


def identify(data: bytes, name: str = "") -> Identified:
    head = data[:8192]
    ext = os.path.splitext(name)[1].lower()
    if not data:
        raise BadInput(_("Tệp rỗng (0 byte)."))
    if head.startswith(b"%PDF-"):
        return Identified("pdf", "application/pdf", "document")
    if head.startswith(b"PK\x03\x04"):
        return _identify_zip(data)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return Identified("doc", "application/msword", "document")
    for magic, mime in ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"),
                        (b"II*\x00", "image/tiff"), (b"MM\x00*", "image/tiff"), (b"GIF8", "image/gif")):
        if head.startswith(magic):
            return Identified("image", mime, "document")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Identified("image", "image/webp", "document")
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE" or head.startswith((b"ID3", b"fLaC", b"OggS")):
        return Identified("audio", "audio/*", "audio")
    if head[4:8] == b"ftyp" or head.startswith(b"\x1a\x45\xdf\xa3"):
        return Identified("video", "video/*", "video")
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BadInput(_("Không nhận dạng được loại tệp (dữ liệu nhị phân không rõ định dạng)."))
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    looks_html = lowered.startswith((b"<!doctype html", b"<html")) or b"<body" in lowered or b"<html" in lowered
    if ext == ".pdf":
        what = _("HTML") if looks_html else _("văn bản thuần")
        raise BadInput(_("Tệp mang đuôi .pdf nhưng nội dung là %(what)s, không phải PDF.") % {"what": what})
    if looks_html:
        return Identified("html", "text/html", "webpage")
    if ext in {".docx", ".odt", ".doc", ".jpg", ".jpeg", ".png", ".tif", ".tiff"}:
        raise BadInput(_("Tệp mang đuôi %(ext)s nhưng nội dung không phải định dạng đó.") % {"ext": ext})
    return Identified("text", "text/plain", "document")


def _identify_zip(data: bytes) -> Identified:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise BadInput(_("Tệp nén hỏng: %(error)s") % {"error": exc}) from exc
    total = sum(info.file_size for info in infos)
    if total > settings.SULIEU_MAX_UNZIPPED_BYTES or (
        total > 10 * 1024 * 1024 and total > MAX_ZIP_RATIO * max(len(data), 1)
    ):
        raise BadInput(_("Tệp nén bung ra quá lớn (%(size)s byte): nghi là “bom nén”, không mở.") % {"size": total})
    names = {info.filename for info in infos}
    if "word/document.xml" in names:
        return Identified("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                          "document")
    if "mimetype" in names and archive.read("mimetype").strip() == b"application/vnd.oasis.opendocument.text":
        return Identified("odt", "application/vnd.oasis.opendocument.text", "document")
    raise BadInput(_("Tệp nén (ZIP) không phải văn bản DOCX/ODT: chưa hỗ trợ, hãy giải nén rồi nhập từng tệp."))


def extract(data: bytes, identified: Identified) -> Extracted:
    handler = {
        "pdf": extract_pdf,
        "docx": extract_docx,
        "odt": extract_odt,
        "doc": extract_doc,
        "html": extract_html,
        "text": extract_text,
        "image": extract_image,
    }.get(identified.format)
    if handler is None:
        return Extracted(pages=[])
    return handler(data)


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


def extract_pdf(data: bytes) -> Extracted:
    import pypdf
    from pypdf.errors import PdfReadError

    if b"%%EOF" not in data[-4096:]:
        raise BadInput(_("PDF bị cắt cụt (thiếu phần kết thúc %%EOF): tệp tải về hoặc sao chép chưa hết."))
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:  # unsupported crypto also means we cannot read it
                ok = 0
            if not ok:
                raise BadInput(_("PDF được mã hóa bằng mật khẩu: không đọc được nội dung."))
        pages = []
        for index, page in enumerate(reader.pages, start=1):
            try:
                text = page.extract_text() or ""
            except Exception:  # a broken content stream on one page: OCR that page instead
                text = ""
            text = text.replace("\x00", "")
            pages.append(PageText(index, text, needs_ocr=_letters(text) < MIN_PAGE_LETTERS))
        meta = reader.metadata or {}
        title = str(meta.get("/Title") or "").strip()
    except BadInput:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise BadInput(_("PDF hỏng, không đọc được: %(error)s") % {"error": exc}) from exc
    if not pages:
        raise BadInput(_("PDF không có trang nào."))
    return Extracted(pages=pages, metadata={"title": title} if title else {})


def extract_docx(data: bytes) -> Extracted:
    """Paragraphs, then table rows; title and author (:mod:`archive.officetext`: python-docx's text, read with
    lxml)."""
    try:
        read = docx_text(data)
    except DocxError as exc:
        raise BadInput(_("DOCX hỏng, không đọc được: %(error)s") % {"error": exc}) from exc
    return Extracted(pages=[PageText(1, "\n".join(read.lines).strip())], metadata=dict(read.metadata))


def extract_odt(data: bytes) -> Extracted:
    from odf import teletype
    from odf.opendocument import load

    try:
        document = load(io.BytesIO(data))
    except Exception as exc:  # odfpy raises many kinds on damaged packages
        raise BadInput(_("ODT hỏng, không đọc được: %(error)s") % {"error": exc}) from exc
    lines = []
    for element in document.text.childNodes:
        lines.append(teletype.extractText(element))
    return Extracted(pages=[PageText(1, "\n".join(lines).strip())])


def extract_doc(data: bytes) -> Extracted:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise BadInput(_("Tệp DOC (Word cũ) cần LibreOffice để đọc, máy này chưa cài."))
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.doc"
        source.write_bytes(data)
        profile = Path(tmp) / "profile"
        try:
            subprocess.run(  # noqa: S603 (a fixed argument list, no shell)
                [soffice, "-env:UserInstallation=file://%s" % profile, "--headless", "--convert-to", "docx",
                 "--outdir", tmp, str(source)],
                check=True, capture_output=True, timeout=120,
            )
        except (subprocess.SubprocessError, OSError) as exc:
            raise BadInput(_("LibreOffice không chuyển được tệp DOC: %(error)s") % {"error": exc}) from exc
        out = Path(tmp) / "in.docx"
        if not out.exists():
            raise BadInput(_("LibreOffice không chuyển được tệp DOC."))
        converted = out.read_bytes()
    result = extract_docx(converted)
    result.converted = converted
    result.converted_mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return result


def decode_text(data: bytes) -> str:
    try:
        from vntext import decode_bytes
    except ImportError:
        decode_bytes = None
    if decode_bytes is not None:
        decoded = decode_bytes(data)
        return getattr(decoded, "text", decoded) if not isinstance(decoded, str) else decoded
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return str(best) if best is not None else data.decode("utf-8", "replace")


def extract_text(data: bytes) -> Extracted:
    from vntext import normalize

    return Extracted(pages=[PageText(1, normalize(decode_text(data)).strip())])


def extract_html(data: bytes) -> Extracted:
    """The page's main text (trafilatura) and the metadata we keep, read from the page's own tags
    (:func:`html_metadata`) on the tree trafilatura parses, instead of trafilatura's full metadata pass (the
    author searched in the body, htmldate's date search, licence…: half the CPU of a page)."""
    import trafilatura
    from trafilatura.utils import load_html

    html = decode_text(data)
    tree = load_html(html)
    meta = html_metadata(tree) if tree is not None else {}
    doc = trafilatura.bare_extraction(tree if tree is not None else html, url=meta.get("url"), with_metadata=False,
                                      include_comments=False, include_tables=True, favor_precision=True,
                                      # no second pass through trafilatura's fallback extractors (readability,
                                      # jusText): 25 % of the CPU a page, the same text on the bench pages
                                      fast=True)
    if doc is None:
        raise BadInput(_("Không tìm thấy nội dung chính trong trang HTML."))
    get = doc.get if isinstance(doc, dict) else lambda key: getattr(doc, key, None)
    text = (get("text") or "").strip()
    return Extracted(pages=[PageText(1, text)], metadata=meta)


def open_image(data: bytes) -> Any:
    from PIL import Image

    try:
        image = Image.open(io.BytesIO(data))
        width, height = image.size
    except Image.DecompressionBombError as exc:
        raise BadInput(_("Ảnh quá lớn (nghi là “bom giải nén”): %(error)s") % {"error": exc}) from exc
    except Exception as exc:  # Pillow raises many kinds on damaged images
        raise BadInput(_("Ảnh hỏng, không đọc được: %(error)s") % {"error": exc}) from exc
    limit = settings.SULIEU_MAX_IMAGE_PIXELS
    if width * height > limit:
        raise BadInput(_("Ảnh %(w)s×%(h)s điểm ảnh vượt giới hạn %(limit)s (nghi là “bom giải nén”): không mở.")
                       % {"w": width, "h": height, "limit": limit})
    return image


def extract_image(data: bytes) -> Extracted:
    image = open_image(data)
    frames = getattr(image, "n_frames", 1)
    from archive.ocr.scan import looks_whole  # a whole PNG/JPEG is decoded once, by the OCR step

    if not (frames == 1 and image.format in ("PNG", "JPEG") and looks_whole(data, image.format)):
        try:
            image.load()
        except Exception as exc:  # truncated image data
            raise BadInput(_("Ảnh hỏng, không đọc được: %(error)s") % {"error": exc}) from exc
    return Extracted(pages=[PageText(n, "", needs_ocr=True) for n in range(1, frames + 1)])


A4_LONG_SIDE_INCHES = 11.69


def assumed_dpi(width: int, height: int) -> int:
    """The resolution of a page image that does not say: its long side taken as an A4 page's (a 1240×1754
    scan is 150 dpi, not 300: OCR told 300 reads it as a half-size page with tiny letters)."""
    estimate = int(round(max(width, height) / A4_LONG_SIDE_INCHES))
    return estimate if 70 <= estimate <= 1200 else 300


# A page image with a recorded resolution is believed when the page it implies is paper-sized: phones and
# cameras write 72 (or 1) dpi into 3000-pixel photos of A4 pages, which would make a page over a metre high.
PAGE_INCHES = (2.5, 17.0)  # the long side of a plausible page: a small card up to A3 with margins


def page_dpi(width: int, height: int, recorded: float | None) -> int:
    """The resolution to OCR a page image at: the recorded one if plausible, else :func:`assumed_dpi`."""
    dpi = int(round(float(recorded))) if recorded else 0
    if 70 <= dpi <= 1200 and PAGE_INCHES[0] <= max(width, height) / dpi <= PAGE_INCHES[1]:
        return dpi
    return assumed_dpi(width, height)


# Formats Tesseract (Leptonica) reads itself: such a file is OCR'd as it is, without decoding and re-encoding.
TESSERACT_READS = {"JPEG", "PNG", "TIFF", "BMP", "PPM", "GIF", "WEBP"}


def image_page(data: bytes, n: int) -> tuple[bytes, int]:
    """Frame ``n`` (1-based) of an image as a file Tesseract reads, and the resolution to read it at.

    A one-frame JPEG/PNG/TIFF… in greyscale or RGB, not turned by an EXIF orientation, is given as it is (the
    scanner's own pixels, and no PNG encoding of a noisy 9-megapixel page, which costs a second); anything
    else is converted to PNG.
    """
    image = open_image(data)
    # EXIF orientation (a PNG keeps no EXIF before its pixels: asking would decode the whole page)
    orientation = image.getexif().get(0x0112, 1) if image.format in ("JPEG", "TIFF", "WEBP") else 1
    if (image.format in TESSERACT_READS and getattr(image, "n_frames", 1) == 1 and n == 1
            and image.mode in ("L", "RGB", "1") and orientation in (None, 1)):
        return data, page_dpi(*image.size, image.info.get("dpi", (0, 0))[0])
    return image_page_png(data, n)


def image_page_png(data: bytes, n: int) -> tuple[bytes, int]:
    """Frame ``n`` (1-based) of an image as PNG bytes, with its resolution in dpi (:func:`assumed_dpi` if
    the file does not record a plausible one)."""
    from PIL import ImageOps

    image = open_image(data)
    image.seek(n - 1)
    dpi = image.info.get("dpi", (0, 0))[0] or 0
    frame = ImageOps.exif_transpose(image.convert("RGB") if image.mode not in ("L", "RGB", "1") else image)
    out = io.BytesIO()
    frame.save(out, format="PNG", compress_level=1)
    return out.getvalue(), page_dpi(*frame.size, dpi)


def pdf_page(data: bytes, n: int) -> bytes:
    """Page ``n`` (1-based) of a PDF as a PDF of its own."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        reader.decrypt("")
    writer = pypdf.PdfWriter()
    writer.add_page(reader.pages[n - 1])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def thumbnail_png(png: bytes, *, width: int = 300) -> bytes:
    from PIL import Image

    image = Image.open(io.BytesIO(png))
    image.draft("RGB", (width, width * 2))  # a JPEG is decoded at a reduced size directly
    image.thumbnail((width, width * 2))
    out = io.BytesIO()
    image.convert("RGB").save(out, format="JPEG", quality=80)
    return out.getvalue()
