from __future__ import annotations

import io
import json

import bagit
import pytest
from django.core.management import call_command

from archive.models import Blob, IngestRecord, Item, ItemFile
from archive.storage import object_path
from archive.tests.conftest import CT20, KH98

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_items(tmp_path, ingest, world):
    from archive import samples
    from archive.services import collection_create

    folder = tmp_path / "in"
    folder.mkdir()
    samples.make_docx(folder / "kh-98.docx", KH98)
    (folder / "ct-20.txt").write_text("\n".join(CT20), "utf-8")
    fonds = collection_create(by=world.superuser, title="Phông Tỉnh ủy Khánh Hòa", code="TU-56", kind="fonds",
                              org_unit=world.province)
    series = collection_create(by=world.superuser, title="Kế hoạch", code="TU-56.KH", kind="series", parent=fonds)
    ingest(folder, collection=series)
    return fonds, series


def test_fixity_reports_altered_and_missing_files(two_items):
    out = io.StringIO()
    call_command("fixity", "--json", stdout=out)
    assert json.loads(out.getvalue())["problems"] == 0
    docx = Item.objects.get(original_name="kh-98.docx")
    txt = Item.objects.get(original_name="ct-20.txt")
    object_path(docx.original.sha256).write_bytes(b"altered")
    object_path(txt.original.sha256).unlink()
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("fixity", "--json", stdout=out)
    assert exit_info.value.code == 1
    report = json.loads(out.getvalue())
    assert [m["sha256"] for m in report["mismatched"]] == [docx.original.sha256]
    assert [m["sha256"] for m in report["missing"]] == [txt.original.sha256]
    assert report["mismatched"][0]["items"] == [docx.pk]
    assert docx.events.filter(kind="fixity_checked", outcome="failure").exists()


def test_bag_round_trip(tmp_path, two_items, world, process):
    from archive.bags import bag_import, restore_page_texts
    from archive.services import item_update, page_text_correct

    docx = Item.objects.get(original_name="kh-98.docx")
    item_update(item=docx, by=world.superuser, fields={"title": "Kế hoạch 98 (bản hiệu đính)"})
    page_text_correct(page=docx.pages.get(), by=world.superuser, text="Văn bản đã hiệu đính.")
    before = {i.original.sha256: (i.title, i.symbol, i.collection.code) for i in Item.objects.all()}
    bag_dir = tmp_path / "bag"
    call_command("export", "bag", str(bag_dir), "--collection", "TU-56", stdout=io.StringIO())
    assert bagit.Bag(str(bag_dir)).is_valid()
    assert docx.events.filter(kind="exported").exists()
    # an empty archive, then import
    IngestRecord.objects.all().delete()
    ItemFile.objects.all().delete()
    Item.objects.all().delete()
    Blob.objects.all().delete()
    result = bag_import(source=bag_dir)
    assert result["imported"] == 2
    process()
    restore_page_texts(result["results"])
    after = {i.original.sha256: (i.title, i.symbol, i.collection.code) for i in Item.objects.all()}
    assert after == before
    assert Item.objects.get(original_name="kh-98.docx").pages.get().text == "Văn bản đã hiệu đính."
    assert bag_import(source=bag_dir)["duplicates"] == 2


def test_tampered_bag_is_refused(tmp_path, two_items):
    from archive.bags import BagError, bag_import

    bag_dir = tmp_path / "bag"
    call_command("export", "bag", str(bag_dir), stdout=io.StringIO())
    victim = next((bag_dir / "data" / "originals").rglob("*.txt"))
    victim.write_text("tampered", "utf-8")
    with pytest.raises(BagError):
        bag_import(source=bag_dir)
