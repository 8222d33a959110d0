"""`sulieu backup` then `sulieu restore` into an empty data directory: the same archive comes back.

Same search results, same fixity report, same item pages (metadata, pages, events, rendered HTML).
On a PostgreSQL run (DATABASE_URL set) the round trip also goes through pg_dump/pg_restore between two
databases of that cluster.
"""

from __future__ import annotations

import json
import tarfile
import uuid
from pathlib import Path

import pytest

from interop.tests.procs import (
    django_run,
    env_for,
    migrated_copy,
    on_postgres,
    pg_create,
    pg_drop,
    pg_url,
    sulieu,
)

DOCS = {
    "ke-hoach-98.txt": "TỈNH ỦY KHÁNH HÒA\nSố 98-KH/TU\nKẾ HOẠCH sơ kết 05 năm thực hiện Chỉ thị số 20-CT/TW\n",
    "bien-ban.txt": "Biên bản sinh hoạt chi bộ xã Cam Lâm năm 1976 về truyền thống cách mạng.\n",
    "thong-bao.txt": "Thông báo số 387-TB/BTGTW về nghiên cứu, biên soạn lịch sử Đảng bộ địa phương.\n",
}
SNAPSHOT = r"""
import json, re
from django.test import Client
from archive.models import Item
from archive.export import item_as_dict
client = Client()
out = {"items": {}, "pages": {}}
for item in Item.objects.order_by("pk"):
    data = item_as_dict(item, pages=True, events=True)
    out["items"][item.pk] = data
    html = client.get("/items/%d/" % item.pk).content.decode()
    html = re.sub(r' nonce="[^"]+"', "", html)  # a fresh CSP nonce on every response
    out["pages"][item.pk] = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
print(json.dumps(out, ensure_ascii=False, default=str, sort_keys=True))
"""


ENGINES = ["sqlite"] + (["postgresql"] if on_postgres() else [])


@pytest.mark.parametrize("engine", ENGINES)
def test_backup_restore_round_trip(tmp_path: Path, engine: str, template: Path):
    urls = ["", ""]
    names: list[str] = []
    if engine == "postgresql":
        names = ["sulieu_bk_%s_%d" % (uuid.uuid4().hex[:8], i) for i in range(2)]
        for name in names:
            pg_create(name)
        urls = [pg_url(n) for n in names]
    try:
        _round_trip(tmp_path, urls, template)
    finally:
        for name in names:
            pg_drop(name)


def _round_trip(tmp_path: Path, urls: list[str], template: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in DOCS.items():
        (folder / name).write_text(text, "utf-8")
    if urls[0]:
        source = env_for(tmp_path / "source", urls[0])
        sulieu(source, "manage", "migrate", "-v", "0", timeout=900)
    else:
        source = env_for(migrated_copy(template, tmp_path / "source"))
    sulieu(source, "ingest", str(folder), "--access", "public", "--json", "--no-progress")
    before_search = json.loads(sulieu(source, "search", "Cam Lâm", "--json").stdout)
    before_items = json.loads(django_run(source, SNAPSHOT))
    archive = tmp_path / "backup.tar.gz"
    made = json.loads(sulieu(source, "backup", str(archive), "--json").stdout)
    assert made["files"] >= len(DOCS)
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "manifest.json" in names and "secret_key" in names
    assert any(n.startswith("files/objects/") for n in names)
    before_fixity = json.loads(sulieu(source, "fixity", "--json").stdout)

    target_dir = tmp_path / "restored"
    target = env_for(target_dir, urls[1])
    restored = sulieu(target, "restore", str(archive), "--json")
    assert json.loads(restored.stdout)["files"] == made["files"]
    assert (target_dir / "secret_key").read_text().strip() == (tmp_path / "source" / "secret_key").read_text().strip()

    after_search = json.loads(sulieu(target, "search", "Cam Lâm", "--json").stdout)
    assert after_search == before_search and before_search.get("count", 1) >= 1
    after_items = json.loads(django_run(target, SNAPSHOT))
    assert after_items["items"] == before_items["items"]
    assert after_items["pages"] == before_items["pages"]
    after_fixity = json.loads(sulieu(target, "fixity", "--json").stdout)
    for report in (before_fixity, after_fixity):
        assert report["problems"] == 0 and report["orphans"] == []
    assert after_fixity["checked"] == before_fixity["checked"] and after_fixity["ok"] == before_fixity["ok"]

    # A second restore into the now full directory is refused, and nothing is touched.
    again = sulieu(target, "restore", str(archive), check=False)
    assert again.returncode == 2 and "empty data directory" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1


def test_restore_of_something_else_is_a_clear_error(tmp_path: Path, template: Path):
    env = env_for(tmp_path / "empty")
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"not a tar file at all")
    done = sulieu(env, "restore", str(junk), check=False)
    assert done.returncode == 2 and "not a readable backup" in done.stderr
    with tarfile.open(tmp_path / "evil.tar", "w") as tar:
        info = tarfile.TarInfo("manifest.json")
        payload = json.dumps({"format": "sulieu-backup", "version": 1, "engine": "sqlite",
                              "database": {"name": "../../escape", "sha256": "0"}}).encode()
        info.size = len(payload)
        import io

        tar.addfile(info, io.BytesIO(payload))
        evil = tarfile.TarInfo("../../escape")
        evil.size = 1
        tar.addfile(evil, io.BytesIO(b"x"))
    done = sulieu(env, "restore", str(tmp_path / "evil.tar"), check=False)
    assert done.returncode == 2 and "unsafe path" in done.stderr
    assert not (tmp_path.parent / "escape").exists()
    missing = sulieu(env, "restore", str(tmp_path / "nope.tar"), check=False)
    assert missing.returncode == 2 and "no backup file" in missing.stderr
    migrated = env_for(migrated_copy(template, tmp_path / "full"))
    bad_target = sulieu(migrated, "backup", str(tmp_path / "no-such-dir" / "b.tar"), check=False)
    assert bad_target.returncode == 2 and "does not exist" in bad_target.stderr
