"""kill -9 of ``sulieu ingest`` mid-batch, then a re-run: exact counts, no duplicates, no orphans.

The command runs in a child process with its own data directory (SQLite), as a user would run it.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

N_FILES = 120


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SULIEU_TASKS_IMMEDIATE"}}
    env["SULIEU_DATA_DIR"] = str(data_dir)
    return env


def _count(db: Path, sql: str) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:  # tables not created yet
        return 0


def test_kill9_mid_batch_then_rerun_gives_exact_counts(tmp_path, template):
    from interop.tests.procs import migrated_copy

    folder = tmp_path / "batch"
    folder.mkdir()
    for i in range(N_FILES):
        body = "Biên bản số %d-BB/ĐU về sinh hoạt chi bộ xã Cam Lâm, năm %d.\n" % (i + 1, 1960 + i % 60)
        (folder / ("bien-ban-%03d.txt" % i)).write_text(body * 3, "utf-8")
    data_dir = migrated_copy(template, tmp_path / "data")  # migrated already: the kill lands in the batch
    db = data_dir / "sulieu.sqlite3"
    cmd = [sys.executable, "-m", "sulieu.cli", "ingest", str(folder), "--json", "--no-progress"]
    child = subprocess.Popen(cmd, env=_env(data_dir), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while _count(db, "select count(*) from archive_item") < 25 and time.monotonic() < deadline:
        if child.poll() is not None:
            break
        time.sleep(0.05)
    assert child.poll() is None, "the batch finished before it could be interrupted"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    interrupted = _count(db, "select count(*) from archive_item")
    assert 0 < interrupted < N_FILES

    done = subprocess.run(cmd, env=_env(data_dir), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    summary = json.loads(done.stdout)
    assert summary["seen"] == N_FILES and summary["failed"] == 0
    assert summary["imported"] + summary["duplicates"] == N_FILES
    assert summary["duplicates"] >= interrupted - 1  # the ones registered before the kill
    assert len({entry["id"] for entry in summary["items"]}) == N_FILES
    assert _count(db, "select count(*) from archive_item") == N_FILES
    assert _count(db, "select count(*) from archive_item where status = 'done'") == N_FILES
    assert _count(db, "select count(distinct original_id) from archive_item") == N_FILES
    fixity = subprocess.run([sys.executable, "-m", "sulieu.cli", "fixity", "--json"], env=_env(data_dir),
                            capture_output=True, text=True, timeout=120)
    assert fixity.returncode == 0, fixity.stdout + fixity.stderr[-2000:]
    report = json.loads(fixity.stdout)
    assert report["orphans"] == [] and report["problems"] == 0
    assert not list((data_dir / "files" / "tmp").glob("*"))
