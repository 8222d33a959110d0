from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from archive.models import Item

pytestmark = pytest.mark.django_db


def test_upload_page_edit_and_duplicates(client, world, process):
    client.force_login(world.superuser)
    assert client.get("/admin/archive/upload/").status_code == 200
    response = client.post("/admin/archive/upload/file/", {
        "file": SimpleUploadedFile("bien-ban.txt", "Biên bản họp chi bộ năm 1975.".encode()), "access": "public"})
    data = response.json()
    assert data["outcome"] == "imported" and data["error"] == ""
    process([data["id"]])
    item = Item.objects.get(pk=data["id"])
    assert item.status == "done" and item.access == "public"
    assert client.get("/admin/snippets/archive/item/").status_code == 200
    assert client.get("/admin/snippets/archive/item/edit/%d/" % item.pk).status_code == 200
    url = "/admin/archive/items/%d/pages/1/" % item.pk
    assert client.get(url).status_code == 200
    client.post(url, {"text": "Biên bản họp chi bộ năm 1976."})
    page = item.pages.get()
    assert page.text == "Biên bản họp chi bộ năm 1976." and page.versions.count() == 2
    assert client.get("/admin/archive/duplicates/").status_code == 200


def test_reader_cannot_upload(client, world):
    client.force_login(world.reader)
    response = client.post("/admin/archive/upload/file/", {"file": SimpleUploadedFile("a.txt", b"x")})
    assert response.status_code in (302, 403)
    assert Item.objects.count() == 0
