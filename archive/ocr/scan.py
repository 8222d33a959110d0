"""A scanned page decoded once: the cleaned pixels Tesseract reads, and the page image from the same decode.

Measured on a noisy 300-dpi PNG page (``bench/ingest/RESULTS.md``, "OCR cost"): the page was decoded three
times (0.25–0.35 s each: the clean-up, the page image, img2pdf). Here a PNG or JPEG page is decoded once with
OpenCV: the clean-up (greyscale, 3×3 median) and the stored page image come from the same pixels. A JPEG's
page image comes from a reduced decode (libjpeg's DCT scaling: a quarter of the work). What Tesseract reads is
exactly what :func:`archive.ocr.tesseract.cleaned` gives (same grey values, bit for bit), so the text is the
same as before.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Any, cast

PAGE_IMAGE_BOX = (1200, 2400)  # the stored image of an image page fits in this box (width, height)
PDF_IMAGE_DPI = 100  # the stored image of a PDF page: the page at this resolution, as pdfium renders it
JPEG_QUALITY = 80
CLEAN_MIN_DPI = 200  # below it a 3×3 median can erase diacritics and thin strokes

# libpng's RGB → grey (what OpenCV's IMREAD_GRAYSCALE gives for an 8-bit RGB PNG): 0.299/0.587 as 15-bit fixed
# point, truncated. Checked at run time against OpenCV itself (:func:`_png_grey_exact`).
_PNG_GREY = (9797, 19234, 3737)


class DamagedPage(ValueError):
    """The page image cannot be decoded (cut short or damaged)."""


@dataclass(frozen=True)
class Header:
    format: str  # Pillow's name: "PNG", "JPEG", …
    mode: str
    size: tuple[int, int]
    plain_png: bool = False  # 8-bit grey/RGB, not interlaced, no transparency, palette or ICC profile


@dataclass
class Scan:
    tesseract: bytes  # the file Tesseract reads: the cleaned page as PGM, or the input itself if undecodable
    pixels: Any = None  # the page's pixels for its image (numpy, grey or BGR, possibly reduced), or None
    size: tuple[int, int] = (0, 0)  # the page's full size in pixels (width, height)
    head: Header | None = None


def header(data: bytes) -> Header | None:
    """What the file is, from its header only (no pixels decoded); None if Pillow cannot open it."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            fmt, mode, size, info = image.format or "", image.mode, image.size, image.info
    except Exception:  # damaged or unknown: the caller gives the bytes to Tesseract, which says what is wrong
        return None
    plain_png = (fmt == "PNG" and mode in ("L", "RGB") and len(data) > 28 and data[24] == 8 and data[28] == 0
                 and "transparency" not in info and "icc_profile" not in info)
    return Header(fmt, mode, size, plain_png)


def decode_scan(data: bytes, *, dpi: int, image_size: tuple[int, int] | None = None) -> Scan:
    """The scan ``data`` (an image file) cleaned for Tesseract, and its pixels for a page image of
    ``image_size`` (default: the page's size fitted in :data:`PAGE_IMAGE_BOX`).

    JPEG and 8-bit PNG pages are decoded once; any other kind is decoded for the clean-up only (its page
    image is then made by the caller, as before).
    """
    import cv2

    head = header(data)
    flags = cv2.IMREAD_IGNORE_ORIENTATION
    raw = _buffer(data)
    grey = pixels = None
    if head is not None and head.format == "JPEG" and head.mode in ("L", "RGB"):
        grey = _imdecode(raw, cv2.IMREAD_GRAYSCALE | flags)
        if grey is not None:
            target = image_size or thumbnail_size(head.size, PAGE_IMAGE_BOX)
            factor = reduction(head.size, target)
            if head.mode == "L" and factor == 1:
                pixels = grey
            else:
                reduced = {1: cv2.IMREAD_COLOR, 2: cv2.IMREAD_REDUCED_COLOR_2, 4: cv2.IMREAD_REDUCED_COLOR_4,
                           8: cv2.IMREAD_REDUCED_COLOR_8}[factor]
                if head.mode == "L":
                    reduced &= ~cv2.IMREAD_COLOR  # the REDUCED_GRAYSCALE_n flags
                pixels = _imdecode(raw, reduced | flags)
    elif head is not None and head.plain_png:
        if head.mode == "L":
            grey = pixels = _imdecode(raw, cv2.IMREAD_GRAYSCALE | flags)
        else:
            pixels = _imdecode(raw, cv2.IMREAD_COLOR | flags)
            if pixels is not None and pixels.ndim == 3:
                grey = png_grey(pixels) if _png_grey_exact() else _imdecode(raw, cv2.IMREAD_GRAYSCALE | flags)
    else:
        grey = decode_grey(data)
    if grey is None or grey.size == 0:
        check_decodable(data)
        return Scan(tesseract=data, head=head)  # Pillow reads it, OpenCV does not: Tesseract gets it as it is
    size = (int(grey.shape[1]), int(grey.shape[0]))
    return Scan(tesseract=clean(grey, dpi=dpi), pixels=pixels, size=size, head=head)


def check_decodable(data: bytes) -> None:
    """Raise :class:`DamagedPage` (a clear, one-line reason) unless Pillow can decode ``data`` whole."""
    from django.utils.translation import gettext as _
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except Exception as exc:  # Pillow raises many kinds on damaged images
        reason = "unknown image format" if isinstance(exc, UnidentifiedImageError) else str(exc).split("\n")[0][:200]
        raise DamagedPage(_("Ảnh trang hỏng hoặc bị cắt cụt, không giải mã được: %(error)s") % {"error": reason}) \
            from exc


def decode_grey(data: bytes) -> Any:
    """The image file ``data`` as 8-bit grey pixels (numpy; EXIF orientation ignored), or None."""
    import cv2

    return _imdecode(_buffer(data), cv2.IMREAD_GRAYSCALE | cv2.IMREAD_IGNORE_ORIENTATION)


def clean(grey: Any, *, dpi: int) -> bytes:
    """The grey page Tesseract reads, as PGM: from :data:`CLEAN_MIN_DPI` a 3×3 median against speckle."""
    import cv2
    import numpy as np

    if dpi >= CLEAN_MIN_DPI:
        grey = cv2.medianBlur(grey, 3)
    height, width = grey.shape[:2]
    return b"".join((b"P5\n%d %d\n255\n" % (width, height), memoryview(cast(Any, np.ascontiguousarray(grey))).cast("B")))


def png_grey(bgr: Any) -> Any:
    """Grey values of an 8-bit BGR image exactly as libpng converts an RGB PNG (OpenCV's IMREAD_GRAYSCALE).

    libpng truncates ``(9797 R + 19234 G + 3737 B) / 32768``; OpenCV's ``transform`` rounds, so the offset
    −16383.5/32768 turns its rounding into that truncation (checked on all 16.7 million colours; 20 ms on a
    9-megapixel page where a second grey decode costs 200 ms).
    """
    import cv2
    import numpy as np

    red, green, blue = _PNG_GREY
    matrix = np.array([[blue, green, red, -16383.5]], np.float64) / 32768
    return cv2.transform(bgr, matrix)


_grey_checked: bool | None = None


def _png_grey_exact() -> bool:
    """Whether :func:`png_grey` matches this OpenCV/libpng on 65,536 sample colours (checked once)."""
    global _grey_checked
    if _grey_checked is None:
        import cv2
        import numpy as np

        rng = np.random.default_rng(11)
        sample = rng.integers(0, 256, size=(512, 512, 3), dtype=np.uint8)
        ramp = np.arange(512, dtype=np.uint32) % 256
        sample[0, :, :] = ramp[:, None]  # the greys
        sample[1, :, 0], sample[1, :, 1], sample[1, :, 2] = 255, ramp, 0
        sample[2, :, 0], sample[2, :, 1], sample[2, :, 2] = 0, 255 - ramp, 255
        ok, png = cv2.imencode(".png", sample, [cv2.IMWRITE_PNG_COMPRESSION, 1])
        libpng = cv2.imdecode(png, cv2.IMREAD_GRAYSCALE) if ok else None
        _grey_checked = libpng is not None and bool((libpng == png_grey(sample)).all())
    return _grey_checked


def thumbnail_size(size: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    """The size Pillow's ``Image.thumbnail(box)`` gives an image of ``size`` (the aspect kept, never larger)."""
    width, height = size
    x, y = box
    if x >= width and y >= height:
        return size
    aspect = width / height

    def round_aspect(number: float, key: Any) -> int:
        return max(min(math.floor(number), math.ceil(number), key=key), 1)

    if x / y >= aspect:
        x = round_aspect(y * aspect, key=lambda n: abs(aspect - n / y))
    else:
        y = round_aspect(x / aspect, key=lambda n: 0 if n == 0 else abs(aspect - x / n))
    return x, y


def pdf_image_size(width_pt: float, height_pt: float) -> tuple[int, int]:
    """The size of a PDF page's stored image: rendered at :data:`PDF_IMAGE_DPI` (pdfium rounds up), fitted."""
    scale = PDF_IMAGE_DPI / 72
    return thumbnail_size((math.ceil(width_pt * scale), math.ceil(height_pt * scale)), PAGE_IMAGE_BOX)


def reduction(size: tuple[int, int], target: tuple[int, int]) -> int:
    """The largest JPEG DCT scaling (1, 2, 4, 8) that still decodes at least ``target``."""
    for factor in (8, 4, 2):
        if math.ceil(size[0] / factor) >= target[0] and math.ceil(size[1] / factor) >= target[1]:
            return factor
    return 1


def page_image(pixels: Any, size: tuple[int, int]) -> bytes:
    """The stored page image: ``pixels`` resized to ``size`` (area averaging), as JPEG."""
    import cv2

    while pixels.shape[1] >= 2 * size[0] and pixels.shape[0] >= 2 * size[1]:  # halving: OpenCV's fast path
        pixels = cv2.resize(pixels, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    if (pixels.shape[1], pixels.shape[0]) != tuple(size):
        pixels = cv2.resize(pixels, size, interpolation=cv2.INTER_AREA)
    ok, out = cv2.imencode(".jpg", pixels, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    if not ok:
        raise ValueError("the page image could not be encoded")
    return out.tobytes()


def _buffer(data: bytes) -> Any:
    import numpy as np

    return np.frombuffer(data, np.uint8)


def _imdecode(raw: Any, flags: int) -> Any:
    import cv2

    try:
        return cv2.imdecode(raw, flags)
    except cv2.error:
        return None


def pdf_page_image(data: bytes, n: int, *, dpi: int = PDF_IMAGE_DPI, box: tuple[int, int] = PAGE_IMAGE_BOX) -> bytes:
    """Page ``n`` of the PDF ``data`` rendered by pdfium at ``dpi``, fitted in ``box``, as JPEG (no PNG between)."""
    import pypdfium2
    from PIL import Image

    pdf = pypdfium2.PdfDocument(data)
    try:
        image = pdf[n - 1].render(scale=dpi / 72).to_pil()
    finally:
        pdf.close()
    if image.size != thumbnail_size(image.size, box):
        image = image.resize(thumbnail_size(image.size, box), Image.Resampling.BICUBIC, reducing_gap=2.0)
    out = io.BytesIO()
    image.convert("RGB").save(out, format="JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


def looks_whole(data: bytes, fmt: str) -> bool:
    """A PNG whose chunks all pass their CRC up to IEND, a JPEG ending with its end marker (FF D9 cannot occur
    inside the compressed data, so a cut file has none at its end): 15 ms for a 16 MB PNG, not a 0.3 s decode."""
    import struct
    import zlib

    if fmt == "JPEG":
        return data.rstrip(b"\x00").endswith(b"\xff\xd9")
    view, at = memoryview(data), 8
    while at + 12 <= len(data):
        length, kind = struct.unpack_from(">I4s", data, at)
        end = at + 8 + length
        if end + 4 > len(data) or zlib.crc32(view[at + 4:end]) != struct.unpack_from(">I", data, end)[0]:
            return False
        if kind == b"IEND":
            return True
        at = end + 4
    return False
