"""The searchable PDF of a page, put together with pikepdf (qpdf): the page's image or original page under
Tesseract's text-only layer.

Measured (``bench/ingest/RESULTS.md``, "OCR cost"): img2pdf parsed a noisy 16 MB PNG for 0.4–1.7 s (its PNG
reader joins the data chunks one by one, and it decoded the pixels again to check them) and pypdf re-parsed
the text layer's content stream to merge it (0.15 s a page). Here the scan's own compressed data goes into the
PDF as it is stored: a JPEG as ``DCTDecode``, an 8-bit PNG's ``IDAT`` data as ``FlateDecode`` with the PNG
predictor (the same bytes, lossless, nothing decoded or re-encoded). Tesseract's text page is laid over it as a
form XObject (qpdf copies it; no content stream is parsed in Python). Names are fixed, so the same page gives
the same bytes.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterable, Sequence

import pikepdf
from pikepdf import Dictionary, Name

from archive.ocr.scan import Header

TEXT_LAYER = Name("/OCRText")
SCAN_IMAGE = Name("/Scan")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def image_page_pdf(source: bytes, head: Header, text_pdf: bytes, *, dpi: int) -> bytes | None:
    """A one-page PDF of the image ``source`` (at ``dpi``) under the text layer; None for a kind not embedded
    as it is (the caller then uses img2pdf)."""
    width, height = head.size
    colours = {"L": (Name.DeviceGray, 1), "RGB": (Name.DeviceRGB, 3)}.get(head.mode)
    if colours is None or not width or not height:
        return None
    if head.format == "JPEG":
        data, filters, parms = source, Name.DCTDecode, None
    elif head.plain_png:
        idat = png_idat(source)
        if idat is None:
            return None
        data, filters = idat, Name.FlateDecode
        parms = Dictionary(Predictor=15, Colors=colours[1], BitsPerComponent=8, Columns=width)
    else:
        return None
    pdf = pikepdf.new()
    w_pt, h_pt = width * 72 / dpi, height * 72 / dpi
    pdf.add_blank_page(page_size=(w_pt, h_pt))
    page = pdf.pages[0]
    image = pikepdf.Stream(pdf, b"")
    image.write(data, filter=filters, decode_parms=parms)
    image.Type, image.Subtype = Name.XObject, Name.Image
    image.Width, image.Height = width, height
    image.ColorSpace, image.BitsPerComponent = colours[0], 8
    page.add_resource(image, Name.XObject, SCAN_IMAGE)
    page.contents_add(pikepdf.Stream(pdf, b"q %s 0 0 %s 0 0 cm %s Do Q\n" % (
        _num(w_pt), _num(h_pt), str(SCAN_IMAGE).encode())))
    _overlay(pdf, text_pdf)
    return _save(pdf)


def overlay_text(page_pdf: bytes, text_pdf: bytes) -> bytes:
    """The one-page PDF ``page_pdf`` with Tesseract's text-only page laid over it, scaled to its crop box."""
    pdf = pikepdf.open(io.BytesIO(page_pdf))
    _overlay(pdf, text_pdf)
    return _save(pdf)


def _overlay(pdf: pikepdf.Pdf, text_pdf: bytes) -> None:
    page = pdf.pages[0]
    with pikepdf.open(io.BytesIO(text_pdf)) as text:
        text_page = text.pages[0]
        left, bottom, right, top = (float(v) for v in text_page.mediabox)
        form = pdf.copy_foreign(text_page.as_form_xobject())
    box = [float(v) for v in page.cropbox]
    scale_x = (box[2] - box[0]) / (right - left)
    scale_y = (box[3] - box[1]) / (top - bottom)
    name = page.add_resource(form, Name.XObject, TEXT_LAYER)
    page.contents_add(b"q\n", prepend=True)  # the page's own graphics state ends before the text layer
    page.contents_add(b"Q\nq %s 0 0 %s %s %s cm %s Do Q\n" % (
        _num(scale_x), _num(scale_y), _num(box[0] - left * scale_x), _num(box[1] - bottom * scale_y),
        str(name).encode()))


def page_of(data: bytes, n: int) -> bytes:
    """Page ``n`` (1-based) of a PDF as a PDF of its own (the document itself if it has that one page)."""
    with pikepdf.open(io.BytesIO(data)) as source:
        if len(source.pages) == 1 and n == 1:
            return data
        out = pikepdf.new()
        out.pages.append(source.pages[n - 1])
        return _save(out)


def concatenate(sources: Sequence[bytes], pages: Iterable[tuple[int, int]]) -> bytes:
    """One PDF of the given pages, in order: (index in ``sources``, page number from 1)."""
    opened: list[pikepdf.Pdf] = []
    try:
        for data in sources:
            opened.append(pikepdf.open(io.BytesIO(data)))
        out = pikepdf.new()
        for index, n in pages:
            out.pages.append(opened[index].pages[n - 1])
        return _save(out)
    finally:
        for source in opened:
            source.close()


def png_idat(data: bytes) -> bytes | None:
    """The compressed pixel data of a PNG (its IDAT chunks joined), or None if the chunks are broken."""
    if not data.startswith(PNG_SIGNATURE):
        return None
    chunks = []
    at, end = len(PNG_SIGNATURE), len(data)
    while at + 8 <= end:
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        if at + 12 + length > end:
            return None
        if kind == b"IDAT":
            chunks.append(data[at + 8:at + 8 + length])
        elif kind == b"IEND":
            return b"".join(chunks) if chunks else None
        at += 12 + length
    return None


def _num(value: float) -> bytes:
    return (b"%.4f" % value).rstrip(b"0").rstrip(b".") or b"0"


def _save(pdf: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return out.getvalue()

