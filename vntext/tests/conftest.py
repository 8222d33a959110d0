"""vntext tests need no Django: they run with ``-p no:django`` or under the project's pytest-django config."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_files() -> None:
    """Override the project's Django-specific autouse fixture: vntext touches no settings or media files."""
    return None
