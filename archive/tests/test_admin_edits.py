"""Back-office edits go through the services: tree paths, locked corrections, audit entries."""

from __future__ import annotations

import pytest
from wagtail.models import ModelLogEntry

from archive.models import Collection, Item
from archive.pipeline.steps.describe import STEP as describe
from archive.services import collection_create

pytestmark = pytest.mark.django_db


def _collection_form(**values):
    base = {"title": "", "kind": "file", "code": "", "description": "", "access": "internal", "retention": "",
            "language": "vi", "keywords": "[]", "reliability": "", "physical_condition": "", "is_open": "on",
            "history": "", "note": "", "parent": "", "org_unit": "", "date_start": "", "date_end": ""}
    base.update({k: ("" if v is None else v) for k, v in values.items()})
    return base


def test_collection_created_and_moved_in_admin_keeps_the_tree(client, world):
    client.force_login(world.superuser)
    fonds = collection_create(by=world.superuser, title="Phông Tỉnh ủy", kind="fonds", code="TU")
    other = collection_create(by=world.superuser, title="Phông UBND", kind="fonds", code="UB")
    response = client.post("/admin/snippets/archive/collection/add/",
                           _collection_form(title="Hồ sơ 20-CT/TW", code="TU.01", parent=fonds.pk))
    assert response.status_code == 302, response.content.decode()[:3000]
    file_ = Collection.objects.get(code="TU.01")
    assert file_.path == fonds.path + "%06d." % file_.pk and file_.depth == 1
    child = collection_create(by=world.superuser, title="Tập 1", code="TU.01.1", parent=file_)
    response = client.post(f"/admin/snippets/archive/collection/edit/{file_.pk}/",
                           _collection_form(title="Hồ sơ 20-CT/TW", code="TU.01", parent=other.pk))
    assert response.status_code == 302, response.content.decode()[:3000]
    child.refresh_from_db()
    assert child.path.startswith(other.path) and child.depth == 2
    entry = ModelLogEntry.objects.filter(object_id=str(file_.pk), action="wagtail.edit").latest("timestamp")
    assert entry.data["changes"]["parent_id"] == [fonds.pk, other.pk]


def test_title_corrected_in_admin_survives_a_new_description(client, world, ingest, tmp_path):
    source = tmp_path / "ke-hoach.txt"
    source.write_text("TỈNH ỦY KHÁNH HÒA\nSố 98-KH/TU\nKẾ HOẠCH\nsơ kết 05 năm thực hiện Chỉ thị số 20-CT/TW\n",
                      encoding="utf-8")
    summary = ingest(source, access="public")
    item = Item.objects.get(pk=summary["items"][0]["id"])
    client.force_login(world.superuser)
    url = f"/admin/snippets/archive/item/edit/{item.pk}/"
    form = client.get(url).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if hasattr(value, "pk"):
            value = value.pk
        if isinstance(value, (list, dict)):
            import json

            value = json.dumps(value, ensure_ascii=False)
        data[name] = "" if value is None else value
    data["title"] = "Kế hoạch sơ kết Chỉ thị 20 (tiêu đề đã hiệu đính)"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    item.refresh_from_db()
    assert item.title.endswith("(tiêu đề đã hiệu đính)") and "title" in item.locked_fields
    entry = ModelLogEntry.objects.filter(object_id=str(item.pk), action="wagtail.edit").latest("timestamp")
    assert entry.user == world.superuser and "title" in entry.data["changes"]
    describe.run(item)
    item.refresh_from_db()
    assert item.title.endswith("(tiêu đề đã hiệu đính)")
    assert item.symbol == "98-KH/TU"


def test_items_are_not_created_by_hand_in_admin(client, world):
    client.force_login(world.superuser)
    response = client.get("/admin/snippets/archive/item/add/")
    assert response.status_code == 302 and "/admin/archive/upload/" in response["Location"]


def test_date_is_kept_as_the_document_writes_it(ingest, tmp_path):
    source = tmp_path / "ke-hoach-98.txt"
    source.write_text("TỈNH ỦY KHÁNH HÒA\nSố 98-KH/TU\nKhánh Hòa, ngày 18 tháng 8 năm 2022\nKẾ HOẠCH\n"
                      "sơ kết 05 năm thực hiện Chỉ thị số 20-CT/TW\n", encoding="utf-8")
    item = Item.objects.get(pk=ingest(source)["items"][0]["id"])
    assert str(item.date_earliest) == "2022-08-18" and item.date_precision == "day"
    assert item.date_text == "ngày 18 tháng 8 năm 2022"
