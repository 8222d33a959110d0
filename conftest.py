"""Fixtures shared by every app's tests: a small unit tree and one user per kind of access."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing() -> Any:
    """Tests hash with MD5 (the real PBKDF2 costs about a second per user on this machine, and nearly every test
    makes users); the real hashers stay listed so that stored hashes (the upgrade test's old data) still verify.
    Processes started by tests (`sulieu …` subprocesses) use the real settings."""
    from django.conf import settings
    from django.test.utils import override_settings

    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher",
               *[h for h in settings.PASSWORD_HASHERS if not h.endswith("MD5PasswordHasher")]]
    with override_settings(PASSWORD_HASHERS=hashers):
        yield


@pytest.fixture(autouse=True)
def _isolated_files(settings: Any, tmp_path: Any) -> None:
    """Each test stores files under its own temporary directory, never in var/."""
    settings.FILES_ROOT = tmp_path / "files"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILES_ROOT.mkdir()
    settings.MEDIA_ROOT.mkdir()
    # A private in-memory cache per test (login throttle counters must not leak between tests).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": str(tmp_path)}}


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    """Each test starts in the default language: a request with the English cookie leaves English active in
    the thread, and a later test rendering a template outside a request would speak English."""
    from django.utils import translation

    yield
    translation.deactivate()  # back to LANGUAGE_CODE


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite data directory, made once, copied (``interop.tests.procs.migrated_copy``) for every
    sulieu process a test starts on a fresh data directory: a migrate costs a minute on this machine."""
    from interop.tests.procs import env_for, sulieu

    data = tmp_path_factory.mktemp("template")
    sulieu(env_for(data), "manage", "migrate", "-v", "0", timeout=900)
    return data


@dataclass
class World:
    province: Any
    commune: Any
    other_commune: Any
    superuser: Any
    archivist: Any  # archivist of the province (sees restricted material of the whole province)
    reader: Any  # reader member of `commune`
    other_reader: Any  # reader member of `other_commune`
    outsider: Any  # logged in, member of nothing


@pytest.fixture
def world(db: Any) -> World:
    from orgs.models import Role, UnitKind
    from orgs.tests.factories import make_unit, make_user

    province = make_unit("Tỉnh Khánh Hòa", kind=UnitKind.PROVINCE, code="56")
    commune = make_unit("Phường Nha Trang", kind=UnitKind.WARD, parent=province, code="22366")
    other = make_unit("Xã Cam Lâm", kind=UnitKind.COMMUNE, parent=province, code="22405")
    return World(
        province=province,
        commune=commune,
        other_commune=other,
        superuser=make_user("root", superuser=True),
        archivist=make_user("archivist", unit=province, role=Role.ARCHIVIST),
        reader=make_user("reader", unit=commune, role=Role.READER),
        other_reader=make_user("other_reader", unit=other, role=Role.READER),
        outsider=make_user("outsider"),
    )
