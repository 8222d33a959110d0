"""OCR of one page, returning text, a confidence, the hOCR and a searchable PDF page.

The engine is pluggable (``SULIEU_OCR_ENGINE`` = dotted path of a callable with the signature of
:func:`ocr_page`). The default, :func:`archive.ocr.tesseract.tesseract_page`, runs Tesseract once per page
(text, hOCR and PDF from the same pass); :func:`ocrmypdf_page` runs OCRmyPDF in-process (slower: see
``bench/ingest/RESULTS.md``). Both use the languages of ``SULIEU_OCR_LANGUAGES`` (default ``vie``) and
``OMP_THREAD_LIMIT=1`` so that one worker uses one core.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

logging.getLogger("ocrmypdf").setLevel(logging.ERROR)

_WCONF = re.compile(r"x_wconf (\d+)")
_WORD = re.compile(r"<span class=['\"]ocrx_word['\"][^>]*title=['\"][^'\"]*x_wconf (\d+)[^>]*>(.*?)</span>", re.S)


@dataclass
class OcrResult:
    text: str
    confidence: float | None  # mean word confidence 0–100, weighted by word length
    pdf: bytes  # this page as a searchable PDF
    engine: str = ""
    hocr: str = ""  # Tesseract's hOCR of the page (word boxes), when the engine gives it
    # The page's stored image (JPEG; see archive.ocr.scan) when the engine made it from the pixels it decoded
    # anyway; empty: the OCR step makes it.
    page_image: bytes = b""


def languages() -> list[str]:
    return [lang for lang in settings.SULIEU_OCR_LANGUAGES.replace(",", "+").split("+") if lang]


def hocr_confidence(hocr: str) -> float | None:
    total = weight = 0.0
    for conf, word in _WORD.findall(hocr):
        letters = len(re.sub(r"<[^>]+>", "", word).strip())
        if letters:
            total += int(conf) * letters
            weight += letters
    if weight:
        return round(total / weight, 1)
    confs = [int(c) for c in _WCONF.findall(hocr)]
    return round(sum(confs) / len(confs), 1) if confs else None


def ocrmypdf_page(source: bytes, *, is_pdf: bool, dpi: int = 300) -> OcrResult:
    import ocrmypdf

    from archive.ocr.ocrmypdf_plugin import HOCR_DIR_ENV

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    with tempfile.TemporaryDirectory(prefix="sulieu-ocr-") as tmp:
        tmpdir = Path(tmp)
        src = tmpdir / ("in.pdf" if is_pdf else "in.png")
        src.write_bytes(source)
        out = tmpdir / "out.pdf"
        sidecar = tmpdir / "out.txt"
        hocr_dir = tmpdir / "hocr"
        hocr_dir.mkdir()
        previous = os.environ.get(HOCR_DIR_ENV)
        os.environ[HOCR_DIR_ENV] = str(hocr_dir)
        try:
            kwargs = {} if is_pdf else {"image_dpi": dpi}
            ocrmypdf.ocr(
                src, out, language=languages(), jobs=1, progress_bar=False, sidecar=sidecar,
                plugins=["archive.ocr.ocrmypdf_plugin"], output_type="pdf", optimize=0,
                force_ocr=True, **kwargs,
            )
        finally:
            if previous is None:
                os.environ.pop(HOCR_DIR_ENV, None)
            else:
                os.environ[HOCR_DIR_ENV] = previous
        text = sidecar.read_text(encoding="utf-8", errors="replace") if sidecar.exists() else ""
        hocr = "".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(hocr_dir.glob("*.hocr")))
        return OcrResult(text=text.replace("\f", "").strip(), confidence=hocr_confidence(hocr),
                         pdf=out.read_bytes(), engine="ocrmypdf %s" % ocrmypdf.__version__, hocr=hocr)


def ocr_page(source: bytes, *, is_pdf: bool, dpi: int = 300) -> OcrResult:
    engine = import_string(settings.SULIEU_OCR_ENGINE)
    return engine(source, is_pdf=is_pdf, dpi=dpi)
