from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _fake_ocr(settings: Any) -> None:
    settings.SULIEU_OCR_ENGINE = "reading.tests.factories.fake_ocr"


@pytest.fixture(scope="session")
def live_server(request: Any) -> Any:
    """Django's live server on loopback, once for the session, on a free port (both databases' suites run at once)."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("127.0.0.1:0")
    request.addfinalizer(server.stop)
    return server
