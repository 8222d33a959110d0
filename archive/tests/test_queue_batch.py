"""The runner claims task rows a batch at a time: no row runs twice, a crash half-way gives back what it did not
run, a failing task is recorded alone, and the rows of a killed process are queued again."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from archive import queue, runner
from archive.ingest import ingest_sources
from archive.models import Item, ItemStatus, Stage
from archive.pipeline import engine
from archive.pipeline.leases import WorkerId
from archive.services import IngestOptions

pytestmark = pytest.mark.django_db


def _registered(tmp_path: Path, n: int) -> list[int]:
    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(n):
        (folder / ("vb-%02d.txt" % i)).write_text(
            "Báo cáo số %d của Đảng ủy xã Cam Lâm về công tác tuyên truyền lịch sử Đảng năm 2024." % i,
            encoding="utf-8")
    return [r.item.pk for r in ingest_sources([str(folder)], options=IngestOptions()) if r.item is not None]


def _not_chained(items: Any) -> tuple[dict[int, Any], set[int]]:
    return {}, set()


def _steps() -> Any:
    return DBTaskResult.objects.filter(task_path=queue.ITEM_STEP)


def test_two_batch_claims_never_share_a_row(tmp_path: Path) -> None:
    _registered(tmp_path, 5)
    first = queue.claim_rows(WorkerId("host-a", 1), 3)
    second = queue.claim_rows(WorkerId("host-b", 2), 10)
    assert len(first) == 3 and len(second) == 2
    assert not {r.pk for r in first} & {r.pk for r in second}
    assert queue.claim_rows(WorkerId("host-c", 3), 10) == []
    assert set(_steps().values_list("status", flat=True)) == {TaskResultStatus.RUNNING}


def test_a_crash_half_way_through_a_batch_gives_back_the_rows_it_did_not_run(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ids = _registered(tmp_path, 4)
    run_step = engine.run_step
    calls: list[int] = []

    def crashing(item_id: int, *args: Any, **kwargs: Any) -> Any:
        calls.append(item_id)
        if len(calls) == 2:
            raise KeyboardInterrupt  # not an Exception: the batch stops here
        return run_step(item_id, *args, **kwargs)

    monkeypatch.setattr(engine, "run_chains", _not_chained)  # each row's steps on their own (as after a failure)
    monkeypatch.setattr(engine, "run_step", crashing)
    batch: list[int] = []
    with pytest.raises(KeyboardInterrupt):
        runner.run_batch(batch)
    statuses = dict(_steps().values_list("args_kwargs__kwargs__item_id", "status"))
    assert statuses[calls[0]] == TaskResultStatus.SUCCESSFUL
    # the interrupted row and the two never started are ready again, their items not leased
    assert sorted(s for pk, s in statuses.items() if pk != calls[0]) == [TaskResultStatus.READY] * 3
    assert not _steps().filter(status=TaskResultStatus.READY).exclude(worker_ids=[]).exists()
    assert not Item.objects.exclude(pk=calls[0]).exclude(lease_owner="").exists()
    runner.release_items(batch)  # as run_until_done does for the items held for its index batch
    monkeypatch.setattr(engine, "run_step", run_step)
    runner.run_until_done(ids, poll=0.01)
    assert set(Item.objects.values_list("status", flat=True)) == {ItemStatus.DONE}
    # nothing ran twice or failed; the first item, held for the index batch when the run stopped, got its index
    # step queued again by resume
    assert set(_steps().values_list("status", flat=True)) == {TaskResultStatus.SUCCESSFUL}
    assert _steps().filter(args_kwargs__kwargs__step=Stage.IDENTIFY.value).count() == 4


def test_a_failing_task_in_a_batch_is_recorded_alone(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ids = _registered(tmp_path, 3)
    run_step = engine.run_step

    def failing(item_id: int, *args: Any, **kwargs: Any) -> Any:
        if item_id == ids[1]:
            raise RuntimeError("hỏng <b>giữa chừng</b>")
        return run_step(item_id, *args, **kwargs)

    monkeypatch.setattr(engine, "run_chains", _not_chained)
    monkeypatch.setattr(engine, "run_step", failing)
    batch: list[int] = []
    assert runner.run_batch(batch) == 3
    rows = {row.args_kwargs["kwargs"]["item_id"]: row for row in _steps()}
    assert rows[ids[1]].status == TaskResultStatus.FAILED and "giữa chừng" in rows[ids[1]].traceback
    assert rows[ids[0]].status == rows[ids[2]].status == TaskResultStatus.SUCCESSFUL
    assert sorted(batch) == sorted([ids[0], ids[2]])
    # the failed task's item was claimed with the batch and is released, so resume queues it again
    runner.release_items(batch)
    monkeypatch.setattr(engine, "run_step", run_step)
    runner.run_until_done(ids, poll=0.01)
    assert set(Item.objects.values_list("status", flat=True)) == {ItemStatus.DONE}


def test_rows_claimed_by_a_killed_process_are_queued_again(tmp_path: Path) -> None:
    ids = _registered(tmp_path, 3)
    child = subprocess.Popen(["sleep", "0"])
    child.wait()
    dead = WorkerId(socket.gethostname(), child.pid)
    assert len(queue.claim_rows(dead, 10)) == 3
    Item.objects.filter(pk__in=ids).update(lease_owner=dead.format(), status=ItemStatus.PROCESSING)
    runner.run_until_done(ids, poll=0.01)
    assert set(Item.objects.values_list("status", flat=True)) == {ItemStatus.DONE}
    assert _steps().filter(status=TaskResultStatus.FAILED, exception_class_path="WorkerDied").count() == 3
    assert Item.objects.filter(stage=Stage.DONE).count() == 3


def test_a_batch_indexed_together_keeps_every_stage_mark(tmp_path: Path) -> None:
    ids = _registered(tmp_path, 4)
    runner.run_until_done(ids, poll=0.01)
    for item in Item.objects.filter(pk__in=ids):
        assert (item.stage, item.status, item.lease_owner, item.lease_until) == (Stage.DONE, ItemStatus.DONE, "", None)
        assert {name: mark["status"] for name, mark in item.stages.items()} == {
            "identify": "done", "extract": "done", "ocr": "done", "describe": "done", "deduplicate": "done",
            "index": "done"}
