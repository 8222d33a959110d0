from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import formats, translation
from wagtail.models import ModelLogEntry

from orgs.models import OrgUnit

pytestmark = pytest.mark.django_db


def test_home_speaks_vietnamese_by_default_and_english_on_request(client: Client):
    page = client.get("/luu-tru/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page.status_code == 200
    assert 'lang="vi"' in page.content.decode() and "Kho sử liệu" in page.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/luu-tru/"})
    assert 'lang="en"' in client.get("/luu-tru/").content.decode()


def test_dates_are_day_month_year_in_both_languages():
    for lang in ("vi", "en"):
        with translation.override(lang):
            assert formats.date_format(dt.date(2018, 1, 18)) == "18/01/2018"
            assert formats.date_format(dt.date(2018, 1, 18), "SHORT_DATE_FORMAT") == "18/01/2018"


def test_back_office_login_page_is_in_vietnamese(client: Client):
    page = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en-US")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Đăng nhập" in html and "Mật khẩu" in html and "Sign in" not in html


def test_csrf_is_enforced_on_login():
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403


def test_admin_edit_of_a_unit_is_audited_with_the_changed_fields(world, client: Client):
    client.force_login(world.superuser)
    unit = world.commune
    url = f"/admin/orgunits/edit/{unit.pk}/"
    form = client.get(url)
    assert form.status_code == 200
    response = client.post(url, {
        "parent": world.province.pk, "kind": unit.kind, "code": unit.code, "name": "Phường Nha Trang (sửa)",
        "short_name": "", "valid_from": "", "valid_to": "30/06/2025", "replaced_by": "", "note": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    unit.refresh_from_db()
    assert unit.name == "Phường Nha Trang (sửa)" and unit.valid_to == dt.date(2025, 6, 30)
    entry = ModelLogEntry.objects.filter(object_id=str(unit.pk), action="wagtail.edit").latest("timestamp")
    assert entry.user == world.superuser
    assert entry.data["changes"]["name"] == ["Phường Nha Trang", "Phường Nha Trang (sửa)"]
    history = client.get("/admin/reports/site-history/")
    assert history.status_code == 200 and "Phường Nha Trang (sửa)" in history.content.decode()


def test_admin_create_goes_through_the_service_and_sets_the_path(world, client: Client):
    client.force_login(world.superuser)
    response = client.post("/admin/orgunits/new/", {
        "parent": world.province.pk, "kind": "school", "code": "", "name": "Trường THPT Lý Tự Trọng",
        "short_name": "", "valid_from": "", "valid_to": "", "replaced_by": "", "note": "",
    })
    assert response.status_code == 302
    school = OrgUnit.objects.get(name="Trường THPT Lý Tự Trọng")
    assert school.path.startswith(world.province.path) and school.depth == 1


def test_task_status_is_visible_to_staff_and_read_only(world, client: Client):
    from sulieu.tasks import ping

    result = ping.enqueue(message="xin chào")
    client.force_login(world.archivist)
    listing = client.get("/admin/tasks/")
    assert listing.status_code == 200
    assert "sulieu.tasks.ping" in listing.content.decode()
    assert client.get("/admin/tasks/new/").status_code in (302, 403)
    assert str(result.id) in client.get(f"/admin/tasks/inspect/{result.id}/").content.decode()
    client.force_login(world.reader)
    assert client.get("/admin/tasks/").status_code in (302, 403)


def test_missing_page_is_a_vietnamese_404_with_search(client: Client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang này" in html and 'action="/search/"' in html


def test_hsts_is_sent_on_https_when_cookies_are_secure(client, settings):
    assert settings.SECURE_COOKIES  # the test settings serve as a deployment would (DEBUG off)
    assert settings.SECURE_HSTS_SECONDS >= 31536000
    secure = client.get("/healthz", secure=True)
    assert secure["Strict-Transport-Security"].startswith("max-age=")
    assert "Strict-Transport-Security" not in client.get("/healthz")  # never on plain http


def test_hsts_is_off_when_cookies_are_not_secure(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "SULIEU_SECURE_COOKIES": "0", "SULIEU_DATA_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE',"
                          " 'sulieu.settings'); django.setup(); from django.conf import settings;"
                          " print(settings.SECURE_HSTS_SECONDS)"], env=env, capture_output=True, text=True,
                         check=True, timeout=120)
    assert out.stdout.strip() == "0"


def test_favicon_is_the_sites_icon_not_a_404(client):
    from django.contrib.staticfiles import finders

    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/sulieu/favicon.svg"
    assert finders.find("sulieu/favicon.svg")
