from __future__ import annotations

import pytest

from archive.models import Item
from archive.services import IngestOptions
from archive.watch import FolderWatch

pytestmark = pytest.mark.django_db


def test_watched_folder_takes_settled_files_once(tmp_path):
    drop = tmp_path / "drop"
    drop.mkdir()
    watch = FolderWatch(drop, IngestOptions(access="public", channel="watch"))
    first = drop / "bien-ban-1976.txt"
    first.write_text("Biên bản họp chi bộ xã Cam Lâm năm 1976.", encoding="utf-8")
    (drop / "dang-chep.pdf.part").write_bytes(b"%PDF-1.4 half copied")
    assert watch.scan() == []  # seen once: it may still be growing
    results = watch.scan()
    assert [r.outcome for r in results] == ["imported"]
    assert watch.scan() == []  # unchanged: not read again
    first.write_text("Biên bản họp chi bộ xã Cam Lâm năm 1976 (bản bổ sung).", encoding="utf-8")
    assert watch.scan() == []  # changed: wait until it settles
    assert [r.outcome for r in watch.scan()] == ["imported"]
    copy = drop / "sub" / "ban-sao.txt"
    copy.parent.mkdir()
    copy.write_text("Biên bản họp chi bộ xã Cam Lâm năm 1976.", encoding="utf-8")
    watch.scan()
    assert [r.outcome for r in watch.scan()] == ["duplicate"]
    assert Item.objects.count() == 2
    # a new watcher (a restart) does not import anything twice
    again = FolderWatch(drop, IngestOptions(access="public", channel="watch"))
    again.scan()
    assert {r.outcome for r in again.scan()} == {"duplicate"} and Item.objects.count() == 2


def test_watch_command_runs_once(tmp_path, capsys):
    from django.core.management import call_command

    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "a.txt").write_text("Kế hoạch số 98-KH/TU", encoding="utf-8")
    call_command("watch", str(drop), "--once", "--access", "public")
    assert "a.txt  imported" in capsys.readouterr().out
