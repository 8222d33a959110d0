"""Every SULIEU_* environment variable is read once, in settings.py through the strict helpers, and documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from sulieu.config import env_float

ROOT = Path(__file__).resolve().parents[2]
# Read outside settings.py on purpose: the data directory and secret key (before settings exist), the
# OCR plugin's hand-over directory (an environment variable between OCRmyPDF and its plugin), the admin
# password of `createadmin`, and what `serve` passes to its children.
ELSEWHERE = {"SULIEU_DATA_DIR", "SULIEU_SECRET_KEY", "SULIEU_SECRET_KEY_FILE", "SULIEU_OCR_HOCR_DIR",
             "SULIEU_ADMIN_PASSWORD"}
LIBRARY = ["vntext", "core", "orgs", "archive", "search", "reading"]


def _declared() -> set[str]:
    text = (ROOT / "sulieu/settings.py").read_text(encoding="utf-8")
    return set(re.findall(r'env_(?:str|bool|int|float|list)\(\s*"(SULIEU_[A-Z0-9_]+)"', text))


def test_settings_are_declared_and_documented() -> None:
    declared = _declared()
    assert {"SULIEU_PIPELINE_INLINE", "SULIEU_ARCHIVE_MAX_BYTES", "SULIEU_FIXITY_INTERVAL_DAYS",
            "SULIEU_OCR_ENGINE", "SULIEU_OCR_LANGUAGES", "SULIEU_MAX_IMAGE_PIXELS"} <= declared
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert sorted(name for name in declared | ELSEWHERE if name not in readme and name != "SULIEU_OCR_HOCR_DIR") \
        == []


def test_library_code_never_reads_sulieu_variables_itself() -> None:
    pattern = re.compile(r'(getattr\(settings,\s*"SULIEU_|environ(?:\.get)?[(\[]\s*"SULIEU_|getenv\("SULIEU_)')
    found = []
    for package in LIBRARY:
        for path in (ROOT / package).rglob("*.py"):
            if "tests" in path.parts:
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if pattern.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert found == []


def test_a_bad_number_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SULIEU_FIXITY_INTERVAL_DAYS", "soon")
    with pytest.raises(ImproperlyConfigured, match="SULIEU_FIXITY_INTERVAL_DAYS='soon' is not a number"):
        env_float("SULIEU_FIXITY_INTERVAL_DAYS", 7.0, minimum=0.001)
    monkeypatch.setenv("SULIEU_FIXITY_INTERVAL_DAYS", "-1")
    with pytest.raises(ImproperlyConfigured, match="below"):
        env_float("SULIEU_FIXITY_INTERVAL_DAYS", 7.0, minimum=0.001)
    monkeypatch.setenv("SULIEU_FIXITY_INTERVAL_DAYS", "0.5")
    assert env_float("SULIEU_FIXITY_INTERVAL_DAYS", 7.0, minimum=0.001) == 0.5
    monkeypatch.setenv("SULIEU_FIXITY_INTERVAL_DAYS", "nan")
    with pytest.raises(ImproperlyConfigured):
        env_float("SULIEU_FIXITY_INTERVAL_DAYS", 7.0, minimum=0.001)
