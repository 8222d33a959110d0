"""OCR of one page with one Tesseract pass: the text, the hOCR and the searchable PDF come out together.

Measured with ``bench/ingest/ocr_quality.py`` (54 degraded A4 pages): running OCRmyPDF per page cost 3–5× a
plain ``tesseract IMAGE - -l vie`` (the image went to a PDF, was rasterised back, the hOCR was turned into a
PDF in Python) for no gain in accuracy. Here Tesseract reads the page image as it is, with the same page
segmentation as plain Tesseract, and renders ``txt``, ``hocr`` and ``pdf`` from the same recognition.

- An image page: the image goes into a PDF page of the paper's size as it is stored (img2pdf, no re-encoding),
  at the resolution the caller chose (:func:`archive.formats.page_dpi`), and Tesseract's text-only PDF is laid
  over it.
- A PDF page: when it is one image covering the page (what scanners write), it is read at its own resolution,
  a JPEG directly (no rasterisation: the scanner's own pixels); otherwise the page is rasterised once. Tesseract
  then writes a text-only PDF that is laid over the original page, which stays as it was.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from archive.ocr import OcrResult, hocr_confidence, languages, pdfpage, scan

TIMEOUT_SECONDS = 540  # one page; under the page lease (10 min), so a stuck page fails instead of running twice
MIN_DPI, MAX_DPI = 70, 1200


class TesseractError(RuntimeError):
    pass


def tesseract_page(source: bytes, *, is_pdf: bool, dpi: int = 300) -> OcrResult:
    """OCR ``source`` (an image file's bytes, or a one-page PDF) at ``dpi`` in one Tesseract run.

    A scan is decoded once (:mod:`archive.ocr.scan`): the cleaned pixels go to Tesseract and, for JPEG and
    8-bit PNG scans, the page image is made from the same decode (``OcrResult.page_image``).
    """
    with tempfile.TemporaryDirectory(prefix="sulieu-ocr-") as tmp:
        tmpdir = Path(tmp)
        image_size = None
        if is_pdf:
            page_pdf = upright_pdf(source)
            image, dpi, scanned, box = _pdf_page_scan(page_pdf, dpi=dpi)
            image_size = scan.pdf_image_size(*box)
        else:
            image, scanned = source, True
        page_image = b""
        head = None
        if scanned:
            decoded = scan.decode_scan(image, dpi=dpi, image_size=image_size)
            image, head = decoded.tesseract, decoded.head
            if decoded.pixels is not None:
                page_image = scan.page_image(decoded.pixels, image_size or scan.thumbnail_size(
                    decoded.size, scan.PAGE_IMAGE_BOX))
        src = tmpdir / "page"
        src.write_bytes(image)
        text, hocr, text_pdf = run_tesseract(src, tmpdir / "out", dpi=dpi, text_only_pdf=True)
        if is_pdf:
            pdf = pdfpage.overlay_text(page_pdf, text_pdf)
        else:
            head = head or scan.header(source)
            built = pdfpage.image_page_pdf(source, head, text_pdf, dpi=dpi) if head is not None else None
            pdf = built or pdfpage.overlay_text(image_pdf(source, dpi=dpi), text_pdf)
    return OcrResult(text=text.replace("\f", "").strip(), confidence=hocr_confidence(hocr), pdf=pdf,
                     engine="tesseract %s" % version(), hocr=hocr, page_image=page_image)


def run_tesseract(image: Path, out: Path, *, dpi: int, text_only_pdf: bool) -> tuple[str, str, bytes]:
    """One ``tesseract`` process (one thread) writing text, hOCR and PDF; returns them."""
    dpi = min(MAX_DPI, max(MIN_DPI, int(dpi)))
    command = [tesseract_binary(), str(image), str(out), "-l", "+".join(languages()), "--dpi", str(dpi)]
    if text_only_pdf:
        command += ["-c", "textonly_pdf=1"]
    command += ["txt", "hocr", "pdf"]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(command, env=env, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)  # noqa: S603
    except subprocess.TimeoutExpired as exc:
        raise TesseractError("tesseract took more than %d s on one page" % TIMEOUT_SECONDS) from exc
    pdf_path = out.with_suffix(".pdf")
    if done.returncode != 0 or not pdf_path.exists():
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise TesseractError("tesseract failed (%s): %s" % (done.returncode, message[-1] if message else ""))
    return (out.with_suffix(".txt").read_text("utf-8", errors="replace"),
            out.with_suffix(".hocr").read_text("utf-8", errors="replace"), pdf_path.read_bytes())


def tesseract_binary() -> str:
    found = shutil.which("tesseract")
    if not found:
        raise TesseractError("the tesseract program is not installed (Debian: tesseract-ocr tesseract-ocr-vie)")
    return found


_version: str | None = None


def version() -> str:
    global _version
    if _version is None:
        done = subprocess.run([tesseract_binary(), "--version"], capture_output=True, check=False)  # noqa: S603
        first = (done.stdout or done.stderr).decode("utf-8", "replace").split("\n")[0]
        _version = first.replace("tesseract", "").strip() or "?"
    return _version


def image_pdf(image: bytes, *, dpi: int) -> bytes:
    """The page image as a one-page PDF of the paper's size, its JPEG or PNG data embedded as stored.

    Tesseract's own PDF re-compresses the image: 3 s more than the recognition itself for a noisy 300-dpi PNG.
    """
    import img2pdf

    dpi = min(MAX_DPI, max(MIN_DPI, int(dpi)))
    layout = img2pdf.get_fixed_dpi_layout_fun((dpi, dpi))
    try:
        return bytes(img2pdf.convert(image, layout_fun=layout, rotation=img2pdf.Rotation.ifvalid))
    except Exception:  # a kind img2pdf refuses (alpha, 16-bit…): a plain PNG of the pixels
        from PIL import Image

        with Image.open(io.BytesIO(image)) as opened:
            out = io.BytesIO()
            opened.convert("L" if opened.mode in ("L", "LA", "I;16", "I") else "RGB").save(out, format="PNG")
        return bytes(img2pdf.convert(out.getvalue(), layout_fun=layout))


def upright_pdf(source: bytes) -> bytes:
    """The one-page PDF with any /Rotate folded into its content (the OCR text is laid over what is shown)."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(source), strict=False)
    if reader.is_encrypted:
        reader.decrypt("")
    page = reader.pages[0]
    if not page.rotation % 360:
        return source
    writer = pypdf.PdfWriter(clone_from=reader)
    writer.pages[0].transfer_rotation_to_content()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def cleaned(image: bytes, *, dpi: int) -> bytes:
    """The scan Tesseract reads: greyscale, and at 200 dpi and more a 3×3 median filter against speckle and grain.

    Measured on the 54 degraded pages of ``bench/ingest/ocr_set.py`` against plain ``tesseract IMAGE``: CER
    3.37 % → 0.51 % (typewriter faces 17.4 % → 1.8 %: photocopy speckle broke their thin strokes into noise the
    page segmentation read as text), and less Tesseract CPU (a grey image). OpenCV: its median costs 3 ms on
    a 9-megapixel page (Pillow's: 1 s); the result goes as PGM (Tesseract reads it; nothing to compress).
    Same pixel grid, no EXIF turn (:func:`archive.formats.image_page` gives upright pixels), so the word boxes
    fit the page image. An image OpenCV cannot read goes as it is. (:func:`archive.ocr.scan.decode_scan` gives
    the same bytes and the page image's pixels from the same decode.)
    """
    grey = scan.decode_grey(image)
    if grey is None or grey.size == 0:
        return image
    return scan.clean(grey, dpi=dpi)


def pdf_page_image(page_pdf: bytes, *, dpi: int = 300) -> tuple[bytes, int]:
    image, dpi, _scanned, _box = _pdf_page_scan(page_pdf, dpi=dpi)
    return image, dpi


def _pdf_page_scan(page_pdf: bytes, *, dpi: int = 300) -> tuple[bytes, int, bool, tuple[float, float]]:
    """The image to OCR for a one-page PDF, its resolution, whether it is a scan (one image filling the
    page: :func:`cleaned` applies to it, not to a page of drawn text), and the page's size in points.

    A page drawn as one image that fills it (a scan) is read at that image's own resolution: a JPEG is
    given to Tesseract as it is stored; another image is rasterised on its own pixel grid. Any other page is
    rasterised at ``dpi``. Rasterised pages go as greyscale PGM (nothing to compress).
    """
    sole = _sole_image(page_pdf)
    if sole is not None:
        jpeg, dpi, box = sole
        if jpeg is not None:
            return jpeg, dpi, True, box
    import pypdfium2

    pdf = pypdfium2.PdfDocument(page_pdf)
    try:
        page = pdf[0]
        box = (page.get_width(), page.get_height())
        image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        pdf.close()
    header = b"P5\n%d %d\n255\n" % image.size
    return header + image.tobytes(), dpi, sole is not None, box


def _sole_image(page_pdf: bytes) -> tuple[bytes | None, int, tuple[float, float]] | None:
    """(the JPEG stream or None, the image's resolution, the page's size in points) if the page is one upright
    image filling its box."""
    import pypdf
    from pypdf.generic import ArrayObject

    try:
        page = pypdf.PdfReader(io.BytesIO(page_pdf), strict=False).pages[0]
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else None
        xobjects = resources.get("/XObject") if resources is not None else None
        if resources is None or xobjects is None or page.get("/Annots") or resources.get("/Font"):
            return None
        xobjects = xobjects.get_object()
        if len(xobjects) != 1:
            return None
        image = next(iter(xobjects.values())).get_object()
        if image.get("/Subtype") != "/Image":
            return None
        width_px, height_px = int(image["/Width"]), int(image["/Height"])
        box = page.cropbox
        width_pt, height_pt = float(box.width), float(box.height)
        content = page.get_contents()
        operations = content.operations if content is not None else []
        ops = [op for _operands, op in operations]
        if [op for op in ops if op not in (b"q", b"Q", b"cm", b"Do")] or ops.count(b"Do") != 1:
            return None
        matrices = [operands for operands, op in operations if op == b"cm"]
        if len(matrices) != 1:
            return None
        a, b, c, d, e, f = (float(v) for v in matrices[0])
        # The image must fill the page box, upright (a drawn-in image with margins is rasterised instead).
        if b or c or abs(a - width_pt) > 1.5 or abs(d - height_pt) > 1.5 or \
                abs(e - float(box.left)) > 1.5 or abs(f - float(box.bottom)) > 1.5:
            return None
        dpi = round(width_px / (width_pt / 72))
        if abs(dpi - height_px / (height_pt / 72)) > 2 or not MIN_DPI <= dpi <= MAX_DPI:
            return None
        filters = image.get("/Filter")
        filters = list(filters) if isinstance(filters, ArrayObject) else [filters]
        plain_jpeg = (filters == ["/DCTDecode"] and not image.get("/SMask") and not image.get("/Decode")
                      and image.get("/ColorSpace") in ("/DeviceGray", "/DeviceRGB"))
        # The JPEG stream as stored (DCTDecode data is a JPEG file).
        return (image._data if plain_jpeg else None), dpi, (width_pt, height_pt)
    except Exception:  # an unusual page structure: rasterise it
        return None
