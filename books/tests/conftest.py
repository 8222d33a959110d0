from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _fake_ocr(settings: Any) -> None:
    settings.SULIEU_OCR_ENGINE = "reading.tests.factories.fake_ocr"
