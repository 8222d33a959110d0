from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _fake_ocr(settings: Any) -> None:
    settings.SULIEU_OCR_ENGINE = "reading.tests.factories.fake_ocr"


LIVE_SERVER_PORT = 8342  # this app's port range is 8300–8399


@pytest.fixture(scope="session")
def live_server(request: Any) -> Any:
    """Django's live server on loopback, on a fixed port of this app's range."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("127.0.0.1:%d" % LIVE_SERVER_PORT)
    request.addfinalizer(server.stop)
    return server
