"""Three `sulieu worker` processes on one database and one file store, one of them killed mid-run (issue 17).

Each worker has its own data directory (as on separate machines) and shares the database — the PostgreSQL
cluster of the PostgreSQL run, a SQLite file otherwise — and the file store (SULIEU_FILES_DIR). 146 files are
registered with `sulieu ingest --no-wait`; the workers process them; the worker holding an item's lease is
killed with SIGKILL. Then: every item is done exactly once (one event of each processing kind), no page was
OCR'd twice (one OCR text version per page), the killed worker's work was taken over, and fixity is clean.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from archive import samples
from interop.tests.procs import env_for, on_postgres, pg_create, pg_drop, pg_url, sulieu

N_TEXT, N_SCANS = 140, 6
PROCESSING_EVENTS = ("identified", "extracted", "ocred", "described", "deduplicated", "indexed")


class Database:
    """Plain SQL on the shared database, from the test process (no Django connection involved)."""

    def __init__(self, url: str, path: Path | None) -> None:
        self.url, self.path = url, path

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        if self.path is not None:
            if not self.path.exists():
                return []
            try:
                with sqlite3.connect(self.path, timeout=10) as conn:
                    return conn.execute(sql).fetchall()
            except sqlite3.OperationalError:  # not migrated yet
                return []
        import psycopg

        with psycopg.connect(self.url) as conn:
            return conn.execute(sql).fetchall()

    def value(self, sql: str) -> Any:
        rows = self.rows(sql)
        return rows[0][0] if rows else 0


@pytest.fixture
def shared_db(tmp_path: Path, template: Path) -> Iterator[Database]:
    if on_postgres():
        name = "sulieu_workers_%s" % uuid.uuid4().hex[:8]
        pg_create(name)
        try:
            yield Database(pg_url(name), None)
        finally:
            pg_drop(name)
    else:
        path = tmp_path / "shared.sqlite3"
        shutil.copy(template / "sulieu.sqlite3", path)  # already migrated (saves a minute)
        yield Database("sqlite:///%s" % path, path)


def _folder(root: Path) -> Path:
    folder = root / "batch"
    folder.mkdir()
    for i in range(N_TEXT):
        body = "Biên bản số %d-BB/ĐU về sinh hoạt chi bộ thôn %d, xã Cam Lâm, năm %d.\n" % (i + 1, i, 1960 + i % 60)
        (folder / ("bien-ban-%03d.txt" % i)).write_text(body * 4, "utf-8")
    for i in range(N_SCANS):
        samples.make_scan_pdf(folder / ("scan-%02d.pdf" % i), [["TỈNH ỦY KHÁNH HÒA", "Số %d-KH/TU" % (90 + i),
                                                                "KẾ HOẠCH sơ kết Chỉ thị số 20-CT/TW"]])
    return folder


def _wait(condition: Any, seconds: float, what: str, workers: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for " + what
        for w in workers:
            if w.poll() is not None and w.returncode != -signal.SIGKILL:
                raise AssertionError("a worker exited: %s" % w.stderr.read()[-3000:] if w.stderr else "")
        time.sleep(0.2)


def test_three_workers_share_the_work_and_a_killed_one_loses_nothing(tmp_path: Path, shared_db: Database):
    files = tmp_path / "shared-files"
    common = {"SULIEU_FILES_DIR": str(files), "SULIEU_SECRET_KEY": "three-workers-" + "k" * 40,
              "SULIEU_RECOVER_SECONDS": "1"}
    envs = [env_for(tmp_path / ("machine-%d" % i), shared_db.url, **common) for i in range(3)]
    started = time.monotonic()
    folder = _folder(tmp_path)
    registered = sulieu(envs[0], "ingest", str(folder), "--no-wait", "--json", "--no-progress")
    summary = json.loads(registered.stdout)
    print("registered %d files in %.1f s" % (summary["seen"], time.monotonic() - started))
    assert summary["seen"] == N_TEXT + N_SCANS and summary["failed"] == 0

    cmd = [sys.executable, "-m", "sulieu.cli", "worker", "--interval", "0.2"]
    workers = [subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
               for env in envs]
    pids = {w.pid: w for w in workers}
    try:
        done = "select count(*) from archive_item where status = 'done'"
        _wait(lambda: shared_db.value(done) >= 40, 300, "the first 40 items", workers)
        # kill the worker that holds an item right now (a page or an item lease), mid-step
        victim = None
        deadline = time.monotonic() + 60
        while victim is None and time.monotonic() < deadline:
            owners = [r[0] for r in shared_db.rows("select lease_owner from archive_item where lease_owner <> '' "
                                                   "union all select lease_owner from archive_itempage "
                                                   "where lease_owner <> '' and ocr_state = 'running'")]
            held = [int(o.rpartition(":")[2]) for o in owners if o.rpartition(":")[2].isdigit()]
            victim = next((pids[pid] for pid in held if pid in pids), None)
        assert victim is not None, "no worker was seen holding work"
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait()
        at_kill = shared_db.value(done)
        print("killed worker %d with %d items done at %.1f s" % (victim.pid, at_kill, time.monotonic() - started))
        assert at_kill < N_TEXT + N_SCANS, "everything was done before the kill"
        unfinished = "select count(*) from archive_item where status in ('queued', 'processing')"
        _wait(lambda: shared_db.value(unfinished) == 0 and shared_db.value(done) > 0, 600,
              "the other two workers to finish", [w for w in workers if w is not victim])
        print("all done at %.1f s" % (time.monotonic() - started))
    finally:
        for w in workers:
            if w.poll() is None:
                w.send_signal(signal.SIGTERM)
        for w in workers:
            try:
                w.wait(timeout=30)
            except subprocess.TimeoutExpired:
                w.kill()
                w.wait()

    total = N_TEXT + N_SCANS
    assert shared_db.value("select count(*) from archive_item") == total
    assert shared_db.value(done) == total, shared_db.rows(
        "select original_name, status, stage from archive_item where status <> 'done' limit 5")
    assert shared_db.value("select count(distinct original_id) from archive_item") == total
    # every processing step ran once per item, whoever ran it
    repeated = shared_db.rows(
        "select item_id, kind, count(*) from archive_itemevent where kind in (%s) group by item_id, kind "
        "having count(*) > 1" % ", ".join("'%s'" % k for k in PROCESSING_EVENTS))
    assert repeated == []
    assert shared_db.value("select count(*) from archive_itemevent where kind = 'indexed'") == total
    # no page OCR'd twice, and every scanned page was OCR'd
    assert shared_db.value("select count(*) from archive_itempage where ocr_state = 'done'") == N_SCANS
    assert shared_db.rows("select page_id, count(*) from archive_pagetextversion where source = 'ocr' "
                          "group by page_id having count(*) > 1") == []
    # more than one machine did work (the lease owners recorded on the events' or pages' rows are gone, so the
    # task rows tell who ran the steps)
    # (worker_ids is a JSON list: PostgreSQL hands it back as a list, SQLite as text)
    runners = {str(r[0]) for r in shared_db.rows("select worker_ids from django_tasks_database_dbtaskresult "
                                                 "where task_path = 'archive.tasks.item_step' and status = 'SUCCESSFUL'")}
    assert len(runners) >= 2, runners
    fixity = sulieu(envs[1], "fixity", "--json")
    report = json.loads(fixity.stdout)
    assert report["problems"] == 0 and report["orphans"] == []
