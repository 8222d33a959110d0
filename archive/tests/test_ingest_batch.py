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
    create = services._item_create

    def broken(**kw: Any) -> Item:
        if kw["name"] == "vb-05.txt":
            Item.objects.create(original=kw["blob"], original_name="half-written")  # rolled back with its file
            raise RuntimeError("đĩa hỏng <script>")
        return create(**kw)

    monkeypatch.setattr(services, "_item_create", broken)
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
    entry = batch.ingest_entry
    seen: list[str] = []

    def interrupted(found: Any, **kw: Any) -> Any:
        seen.append(found.shown.name)
        if len(seen) == 6:  # in the second batch
            raise KeyboardInterrupt
        return entry(found, **kw)

    monkeypatch.setattr(batch, "ingest_entry", interrupted)
    heard: list[str] = []
    with pytest.raises(KeyboardInterrupt):
        ingest_sources([str(folder)], options=IngestOptions(access="public"), on_file=lambda r: heard.append(r.source))
    # the first batch is committed and queued (and was reported); the second left nothing behind
    assert Item.objects.count() == 4 == len(heard) == IngestRecord.objects.count()
    assert DBTaskResult.objects.filter(task_path="archive.tasks.item_step").count() == 4
    monkeypatch.setattr(batch, "ingest_entry", entry)
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
