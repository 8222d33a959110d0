"""Headless Chromium for browser tests: Debian's /usr/bin/chromium driven by Playwright (no browser download)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("SULIEU_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


@contextmanager
def browser_page(locale: str = "vi-VN") -> Iterator[Any]:
    # Playwright's sync API runs an event loop; Django refuses ORM calls from "async" code unless told.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        try:
            yield page
        finally:
            context.close()
            browser.close()


def screenshot_dir(default: Path) -> Path:
    """Where tests put their screenshots: $SULIEU_SCREENSHOTS or the test's tmp dir."""
    path = Path(os.environ.get("SULIEU_SCREENSHOTS", default))
    path.mkdir(parents=True, exist_ok=True)
    return path
