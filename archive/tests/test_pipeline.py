"""The engine runs steps under their leases and hands back the follow-up work; the hooks registry; leases."""

from __future__ import annotations

import os
import socket

import pytest

from archive import hooks
from archive.models import Item, ItemPlace, ItemStatus, Stage
from archive.pipeline import STEP_NAMES, next_stage
from archive.pipeline.engine import run_index_batch, run_step
from archive.pipeline.leases import WorkerId
from archive.services import IngestOptions, item_ingest_bytes, item_update
from archive.tests.conftest import KH98

pytestmark = pytest.mark.django_db


def _item(text: str = "\n".join(KH98), name: str = "kh-98.txt") -> Item:
    result = item_ingest_bytes(data=text.encode(), name=name, source="test", options=IngestOptions(channel="test"))
    assert result.item is not None
    return result.item


def test_steps_and_stages_are_one_list() -> None:
    assert STEP_NAMES == ["identify", "extract", "ocr", "describe", "deduplicate", "index"]
    assert next_stage("index") == Stage.DONE and next_stage("identify") == "extract"


def test_worker_id_format_parse_and_liveness() -> None:
    me = WorkerId.current()
    assert me == WorkerId(socket.gethostname(), os.getpid())
    assert WorkerId.parse(me.format()) == me and str(me) == me.format()
    for junk in ("", "host", "host:", ":12", "host:12a", "ingest-host-12"):
        assert WorkerId.parse(junk) is None, junk
    assert not me.is_dead()  # this process
    assert not WorkerId("elsewhere.example", 1).is_dead()  # another machine: unknowable, never dead


def test_not_inline_each_step_returns_the_next_one_instead_of_queueing_it(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SULIEU_PIPELINE_INLINE = False
    item = _item()
    work = run_step(item.pk, "identify")
    assert (work.reached, work.steps, work.ocr_pages) == ("extract", [(item.pk, "extract")], [])
    item.refresh_from_db()
    assert (item.stage, item.lease_owner, item.stages["identify"]["status"]) == ("extract", "", "done")
    assert run_step(item.pk, "identify").reached is None  # not there any more: nothing to do


def test_defer_index_holds_the_item_for_one_batch_and_the_hook_indexes_it() -> None:
    told: list[list[int]] = []
    hooks.subscribe(told.append)
    try:
        item = _item()
        work = run_step(item.pk, "identify", defer_index=True)
        assert (work.reached, work.held_for_index) == ("index", [item.pk])
        item.refresh_from_db()
        assert item.stage == "index" and item.lease_owner == WorkerId.current().format()
        assert told == []
        run_index_batch(work.held_for_index)
        item.refresh_from_db()
        assert (item.stage, item.status, item.lease_owner) == ("done", ItemStatus.DONE, "")
        assert told[-1] == [item.pk] and item.stages["index"]["status"] == "done"
        assert item.events.filter(kind="indexed").count() == 1
    finally:
        hooks.unsubscribe(told.append)


def test_index_step_is_skipped_when_nobody_listens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hooks, "_subscribers", [])
    item = _item()
    assert run_step(item.pk, "identify").reached == "done"
    item.refresh_from_db()
    assert item.stages["index"]["status"] == "skipped" and item.status == ItemStatus.DONE
    assert not item.events.filter(kind="indexed").exists()


def test_a_failing_subscriber_fails_the_item_not_the_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(ids: list[int]) -> None:
        raise RuntimeError("index is down")

    monkeypatch.setattr(hooks, "_subscribers", [broken])
    item = _item()
    assert run_step(item.pk, "identify").reached == "index"
    item.refresh_from_db()
    assert item.status == ItemStatus.FAILED and "index is down" in item.error


def test_place_index_follows_the_places(world) -> None:  # type: ignore[no-untyped-def]
    item = _item("Biên bản họp ở xã Cam Lâm, huyện Cam Lâm, tỉnh Khánh Hòa năm 1975.\n" * 3, "bb.txt")
    run_step(item.pk, "identify")
    item.refresh_from_db()
    names = {p["name"] for p in item.places}
    assert names and set(ItemPlace.objects.filter(item=item).values_list("name", flat=True)) == names
    # the chain's final write also copies the date found in the text and the access columns to the rows
    assert item.date_earliest is not None
    assert set(ItemPlace.objects.filter(item=item).values_list("date_earliest", "access", "org_unit_id")) == {
        (item.date_earliest, item.access, item.org_unit_id)}
    item_update(item=item, by=world.superuser, fields={"places": [{"name": "Ninh Hòa"}, "Suối Tân", {"x": 1}]})
    assert sorted(ItemPlace.objects.filter(item=item).values_list("name", flat=True)) == ["Ninh Hòa", "Suối Tân"]
    item.places = []
    item.save(update_fields=["places"])
    assert not ItemPlace.objects.filter(item=item).exists()


def test_images_without_resolution_are_read_as_a4_pages() -> None:
    import io

    from PIL import Image

    from archive.formats import assumed_dpi, image_page_png

    assert assumed_dpi(1240, 1754) == 150 and assumed_dpi(2480, 3508) == 300 and assumed_dpi(3508, 2480) == 300
    assert assumed_dpi(40, 60) == 300  # a thumbnail-sized picture: no meaningful estimate
    for dpi, expected in ((None, 150), ((200, 200), 200), ((1, 1), 150)):
        buffer = io.BytesIO()
        image = Image.new("L", (1240, 1754), 255)
        if dpi:
            image.save(buffer, format="PNG", dpi=dpi)
        else:
            image.save(buffer, format="PNG")
        assert image_page_png(buffer.getvalue(), 1)[1] == expected, dpi
