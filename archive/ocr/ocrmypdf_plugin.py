"""OCRmyPDF plugin: Tesseract as usual, plus a copy of each page's hOCR for per-page confidence.

OCRmyPDF's default renderer already asks Tesseract for hOCR (which carries ``x_wconf`` per word);
keeping a copy costs nothing, whereas a second Tesseract pass for TSV would double the OCR time.
The destination directory comes from the environment because OCRmyPDF may run engines in child
processes.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from ocrmypdf import hookimpl
from ocrmypdf.builtin_plugins.tesseract_ocr import TesseractOcrEngine

HOCR_DIR_ENV = "SULIEU_OCR_HOCR_DIR"


class HocrKeepingTesseract(TesseractOcrEngine):
    @staticmethod
    def generate_hocr(input_file: Any, output_hocr: Any, output_text: Any, options: Any) -> None:
        TesseractOcrEngine.generate_hocr(input_file, output_hocr, output_text, options)
        target = os.environ.get(HOCR_DIR_ENV)
        if target:
            name = Path(str(output_hocr)).name
            shutil.copyfile(output_hocr, Path(target) / name)


@hookimpl(tryfirst=True)
def get_ocr_engine(options: Any) -> TesseractOcrEngine:
    return HocrKeepingTesseract()
