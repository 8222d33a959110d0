"""A folder is registered REGISTER_BATCH files per transaction: a failing file is still recorded alone with its
error, an interrupted run loses nothing that a re-run does not register, duplicates are still found."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from archive import ingest as batch
from archive import services
from archive.ingest import ingest_sources, summarise
from archive.models import IngestRecord, Item, ItemStatus
from archive.services import IngestOptions

pytestmark = pytest.mark.django_db


def _folder(tmp_path: Path, n: int) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(n):
        (folder / ("vb-%02d.txt" % i)).write_text("Văn bản số %d về công tác lịch sử Đảng ở xã Cam Lâm." % i,
                                                  encoding="utf-8")
    return folder


def test_one_broken_file_is_recorded_alone_and_its_batch_goes_on(tmp_path, monkeypatch, process) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(batch, "REGISTER_BATCH", 4)
    folder = _folder(tmp_path, 10)
    build = services.item_build

    def broken(**kw: Any) -> Item:
        if kw["name"] == "vb-05.txt":
            Item.objects.create(original=kw["blob"], original_name="half-written")  # rolled back with its file
            raise RuntimeError("đĩa hỏng <script>")
        return build(**kw)

    # the batch's bulk write fails, then its files are registered one by one: only vb-05 fails
    monkeypatch.setattr(batch, "item_build", broken)
    monkeypatch.setattr(services, "item_build", broken)
    results = ingest_sources([str(folder)], options=IngestOptions(access="public"))
    failed = [r for r in results if r.outcome == IngestRecord.Outcome.FAILED]
    assert len(results) == 10 and [r.source.rsplit("/", 1)[-1] for r in failed] == ["vb-05.txt"]
    assert "đĩa hỏng" in failed[0].error
    assert not Item.objects.filter(original_name="half-written").exists()
    record = IngestRecord.objects.get(outcome=IngestRecord.Outcome.FAILED)
    assert record.item is None and "đĩa hỏng" in record.error
    # the nine others are registered, each queued once, and processed
    ids = [r.item.pk for r in results if r.item is not None]
    assert len(ids) == 9
    assert DBTaskResult.objects.filter(task_path="archive.tasks.item_step").count() == 9
    process(ids)
    assert set(Item.objects.values_list("status", flat=True)) == {ItemStatus.DONE}
    summary = summarise(results).as_dict()
    assert (summary["imported"], summary["failed"]) == (9, 1)


def test_an_interrupted_run_loses_nothing_a_rerun_does_not_register(tmp_path, monkeypatch, process) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(batch, "REGISTER_BATCH", 4)
    folder = _folder(tmp_path, 10)
    prepare = batch._prepare
    seen: list[str] = []

    def interrupted(found: Any, *args: Any) -> Any:
        seen.append(found.shown.name)
        if len(seen) == 6:  # in the second batch
            raise KeyboardInterrupt
        return prepare(found, *args)

    monkeypatch.setattr(batch, "_prepare", interrupted)
    heard: list[str] = []
    with pytest.raises(KeyboardInterrupt):
        ingest_sources([str(folder)], options=IngestOptions(access="public"), on_file=lambda r: heard.append(r.source))
    # the first batch is committed and queued (and was reported); the second left nothing behind
    assert Item.objects.count() == 4 == len(heard) == IngestRecord.objects.count()
    assert DBTaskResult.objects.filter(task_path="archive.tasks.item_step").count() == 4
    monkeypatch.setattr(batch, "_prepare", prepare)
    results = ingest_sources([str(folder)], options=IngestOptions(access="public"))
    outcomes = sorted(r.outcome for r in results)
    assert outcomes.count(IngestRecord.Outcome.IMPORTED) == 6 and outcomes.count(IngestRecord.Outcome.DUPLICATE) == 4
    process()
    assert Item.objects.count() == 10 and set(Item.objects.values_list("status", flat=True)) == {ItemStatus.DONE}


def test_duplicates_inside_one_batch_are_found(tmp_path, monkeypatch, ingest: Callable[..., dict[str, Any]]) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(batch, "REGISTER_BATCH", 50)
    folder = _folder(tmp_path, 3)
    (folder / "ban-sao.txt").write_bytes((folder / "vb-01.txt").read_bytes())
    summary = ingest(folder)
    assert (summary["imported"], summary["duplicates"], summary["failed"]) == (3, 1, 0)
    assert Item.objects.count() == 3


def test_a_value_the_database_refuses_fails_its_file_alone_in_a_bulk_batch(tmp_path, monkeypatch, process) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(batch, "REGISTER_BATCH", 50)
    folder = _folder(tmp_path, 4)
    (folder / "metadata.csv").write_text(
        "file,title,date_earliest\nvb-01.txt,<script>alert(1)</script>,2020-13-45\nvb-02.txt,Kế hoạch,2020-05-01\n",
        encoding="utf-8")
    results = ingest_sources([str(folder)], options=IngestOptions(access="public"))
    failed = [r for r in results if r.outcome == IngestRecord.Outcome.FAILED]
    assert [r.source.rsplit("/", 1)[-1] for r in failed] == ["vb-01.txt"] and "2020-13-45" in failed[0].error
    assert "\n" not in IngestRecord.objects.get(outcome=IngestRecord.Outcome.FAILED).error.strip()
    ids = [r.item.pk for r in results if r.item is not None]
    assert len(ids) == 3 and Item.objects.get(original_name="vb-02.txt").title == "Kế hoạch"
    assert DBTaskResult.objects.filter(task_path="archive.tasks.item_step").count() == 3
    process(ids)
    assert set(Item.objects.values_list("status", flat=True)) == {ItemStatus.DONE}


def test_bulk_batch_writes_every_row_a_file_by_file_ingest_writes(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model
    from wagtail.models import ReferenceIndex

    from archive.models import Blob, ItemEvent, ItemFile, ItemPlace

    monkeypatch.setattr(batch, "REGISTER_BATCH", 50)
    folder = _folder(tmp_path, 2)
    (folder / "metadata.csv").write_text("file,places\nvb-00.txt,Cam Lâm;Nha Trang\n", encoding="utf-8")
    user = get_user_model().objects.create_user("luutru")
    results = ingest_sources([str(folder)], options=IngestOptions(access="public", by=user, channel="upload"))
    item = Item.objects.get(original_name="vb-00.txt")
    blob = Blob.objects.get(pk=item.original_id)
    import hashlib

    assert blob.sha256 == hashlib.sha256((folder / "vb-00.txt").read_bytes()).hexdigest()
    assert item.created_by == user and item.locked_fields == ["places"] and item.status == ItemStatus.QUEUED
    assert ItemFile.objects.get(item=item).role == ItemFile.Role.ORIGINAL
    record = IngestRecord.objects.get(item=item)
    assert (record.outcome, record.by, record.channel, record.blob_id) == ("imported", user, "upload", blob.pk)
    event = ItemEvent.objects.get(item=item)
    assert (event.kind, event.by, event.data["sha256"]) == (ItemEvent.Kind.INGESTED, user, blob.sha256)
    assert sorted(ItemPlace.objects.filter(item=item).values_list("name", flat=True)) == ["Cam Lâm", "Nha Trang"]
    # Wagtail's reference-index task for each new item, as its post_save handler queues it
    rows = DBTaskResult.objects.filter(task_path="wagtail.tasks.update_reference_index_task")
    assert sorted(r.args_kwargs["args"][2] for r in rows) == sorted(str(r.item.pk) for r in results)
    assert ReferenceIndex.is_indexed(Item)


def test_duplicates_inside_one_batch_and_of_the_archive_are_linked(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from archive.models import ItemEvent

    monkeypatch.setattr(batch, "REGISTER_BATCH", 50)
    folder = _folder(tmp_path, 2)
    first = ingest_sources([str(folder / "vb-00.txt")], options=IngestOptions())
    (folder / "ban-sao-00.txt").write_bytes((folder / "vb-00.txt").read_bytes())
    (folder / "ban-sao-01.txt").write_bytes((folder / "vb-01.txt").read_bytes())
    results = {r.source.rsplit("/", 1)[-1]: r for r in ingest_sources([str(folder)], options=IngestOptions())}
    assert results["ban-sao-00.txt"].item == results["vb-00.txt"].item == first[0].item
    assert results["ban-sao-01.txt"].item == results["vb-01.txt"].item
    outcomes = {name: r.outcome for name, r in results.items()}
    # listed in name order: ban-sao-01 comes first and is imported, vb-01 is its copy
    assert outcomes == {"ban-sao-00.txt": "duplicate", "ban-sao-01.txt": "imported", "vb-00.txt": "duplicate",
                        "vb-01.txt": "duplicate"}
    assert Item.objects.count() == 2
    assert ItemEvent.objects.filter(kind=ItemEvent.Kind.DUPLICATE_RECEIVED).count() == 3
    # one first step queued per new item, none for a duplicate
    assert DBTaskResult.objects.filter(task_path="archive.tasks.item_step").count() == 2


def test_interrupted_between_the_bulk_write_and_the_queueing_loses_nothing(tmp_path, monkeypatch, process) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(batch, "REGISTER_BATCH", 4)
    folder = _folder(tmp_path, 6)
    enqueue = batch.items_enqueue_first

    def interrupted(ids: list[int]) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(batch, "items_enqueue_first", interrupted)
    with pytest.raises(KeyboardInterrupt):
        ingest_sources([str(folder)], options=IngestOptions())
    # the first batch's rows are committed, its first steps never queued
    assert Item.objects.count() == 4 and not DBTaskResult.objects.filter(task_path="archive.tasks.item_step")
    monkeypatch.setattr(batch, "items_enqueue_first", enqueue)
    results = ingest_sources([str(folder)], options=IngestOptions())
    assert sorted(r.outcome for r in results).count(IngestRecord.Outcome.DUPLICATE) == 4
    # sulieu ingest resumes every item it was given, the duplicates' items too: all six are processed
    process([r.item.pk for r in results if r.item is not None])
    assert Item.objects.count() == 6 and set(Item.objects.values_list("status", flat=True)) == {ItemStatus.DONE}
