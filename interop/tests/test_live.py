"""Real processes: `sulieu serve` answers Sickle, and `sulieu harvest` fills a second instance from it.

Each instance is its own data directory (SQLite) and its own server on loopback, as two provinces'
machines would be; the OAI-PMH traffic between them is real HTTP.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from sickle import Sickle

from interop.tests.procs import Server, django_run, env_for, free_port, migrated_copy, sulieu

PUBLIC_DOCS = [
    ("ke-hoach-98.txt", "TỈNH ỦY KHÁNH HÒA\nSố 98-KH/TU\nKẾ HOẠCH sơ kết 05 năm thực hiện Chỉ thị số 20-CT/TW"),
    ("chi-thi-20.txt", "BAN CHẤP HÀNH TRUNG ƯƠNG\nSố 20-CT/TW\nCHỈ THỊ về công tác lịch sử Đảng"),
    ("huong-dan-171.txt", "BAN TUYÊN GIÁO TỈNH ỦY\nSố 171-HD/BTGTU\nHƯỚNG DẪN tuyên truyền Nghị quyết 45-NQ/TW"),
    ("bien-ban-cam-lam.txt", "Biên bản sinh hoạt chi bộ xã Cam Lâm năm 1976 về truyền thống cách mạng"),
    ("thong-bao-387.txt", "Thông báo số 387-TB/BTGTW về nghiên cứu lịch sử Đảng"),
]
INTERNAL_DOCS = [("bao-cao-noi-bo.txt", "Báo cáo nội bộ số 45-BC/TU, không công bố ra ngoài. Mật danh Hòn Dung")]


@pytest.fixture
def province(tmp_path: Path, template: Path) -> Any:
    """A provider instance with public and internal documents in a public fonds, served on loopback."""
    data = migrated_copy(template, tmp_path / "province")
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in PUBLIC_DOCS:
        (folder / name).write_text(text + "\n", "utf-8")
    inner = tmp_path / "internal"
    inner.mkdir()
    for name, text in INTERNAL_DOCS:
        (inner / name).write_text(text + "\n", "utf-8")
    env = env_for(data, SULIEU_OAI_BATCH="2")
    django_run(env, (
        "from archive.services import collection_create\n"
        "f = collection_create(by=None, title='Phông Tỉnh ủy Khánh Hòa', kind='fonds', code='TU-KH', access='public')\n"
        "collection_create(by=None, title='Hồ sơ Chỉ thị 20', kind='file', code='TU-KH.01', parent=f,"
        " access='public')\n"))
    sulieu(env, "ingest", str(folder), "--access", "public", "--collection", "TU-KH.01", "--json", "--no-progress")
    sulieu(env, "ingest", str(inner), "--access", "internal", "--collection", "TU-KH.01", "--json", "--no-progress")
    server = Server(env, free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_sickle_harvests_every_public_item_through_resumption_and_a_restart(province):
    client = Sickle(province.oai, timeout=30)
    assert client.Identify().deletedRecord == "persistent"
    assert [s.setSpec for s in client.ListSets()] == ["TU-KH", "TU-KH:TU-KH.01"]
    records = list(client.ListRecords(metadataPrefix="oai_dc", ignore_deleted=True))
    titles = sorted(r.metadata["title"][0] for r in records)
    assert len(records) == len(PUBLIC_DOCS)
    assert not any("nội bộ" in t for t in titles)
    assert all(r.header.setSpecs == ["TU-KH", "TU-KH:TU-KH.01"] for r in records)
    tt05 = list(client.ListRecords(metadataPrefix="tt05", set="TU-KH:TU-KH.01"))
    assert len(tt05) == len(PUBLIC_DOCS)

    # A token handed out before a restart still works after it (no state kept in the server).
    first = client.ListIdentifiers(metadataPrefix="oai_dc")
    got = [next(first).identifier for _ in range(2)]
    token = first.resumption_token.token
    province.stop()
    province.start()
    rest = Sickle(province.oai, timeout=30).ListIdentifiers(resumptionToken=token)
    got += [h.identifier for h in rest]
    assert sorted(got) == sorted(r.header.identifier for r in records)


def test_harvest_fills_a_second_instance_incrementally(province, tmp_path, template):
    central = env_for(migrated_copy(template, tmp_path / "central"), SULIEU_ADMIN_PASSWORD="central-admin-2026")
    sulieu(central, "createadmin", "admin")
    first = json.loads(sulieu(central, "harvest", province.oai, "--json").stdout)
    assert {k: first[k] for k in ("seen", "imported", "updated", "deleted", "failed")} == {
        "seen": len(PUBLIC_DOCS), "imported": len(PUBLIC_DOCS), "updated": 0, "deleted": 0, "failed": 0}
    found = json.loads(sulieu(central, "search", "Cam Lâm", "--json").stdout)
    hits = found.get("results") or found.get("items") or found.get("hits")
    assert hits, found
    # Records point back to their source.
    shown = django_run(central, (
        "from archive.models import Item\n"
        "for i in Item.objects.order_by('pk'): print(i.access, i.source_url, i.provenance)\n"))
    lines = shown.strip().splitlines()
    assert len(lines) == len(PUBLIC_DOCS)
    assert all(line.startswith("public http://127.0.0.1:%d/items/" % province.port) for line in lines)
    assert all("OAI-PMH %s" % province.oai in line for line in lines)

    again = json.loads(sulieu(central, "harvest", province.oai, "--json").stdout)
    assert again["seen"] == 0 and again["imported"] == 0

    time.sleep(1.1)  # datestamps have one-second granularity
    django_run(province.env, (
        "from django.contrib.auth import get_user_model\n"
        "from archive.models import Item\n"
        "from archive.services import item_update\n"
        "root = get_user_model().objects.create_superuser('root', 'r@example.org', 'x-password-2026')\n"
        "item_update(item=Item.objects.get(original_name='chi-thi-20.txt'), by=root, fields={'access': 'restricted'})\n"
        "item_update(item=Item.objects.get(original_name='ke-hoach-98.txt'), by=root,"
        " fields={'title': 'Kế hoạch 98-KH/TU (đã hiệu đính)'})\n"))
    third = json.loads(sulieu(central, "harvest", province.oai, "--json").stdout)
    assert {k: third[k] for k in ("seen", "imported", "updated", "deleted", "failed")} == {
        "seen": 2, "imported": 0, "updated": 1, "deleted": 1, "failed": 0}
    titles = django_run(central, (
        "from archive.models import Item\n"
        "for i in Item.objects.order_by('title'): print(i.access, i.title)\n"))
    assert "public Kế hoạch 98-KH/TU (đã hiệu đính)" in titles
    assert "restricted " in titles
    public_search = json.loads(sulieu(central, "search", "Chỉ thị 20-CT/TW", "--json").stdout)
    assert "CHỈ THỊ về công tác" not in json.dumps(public_search, ensure_ascii=False)


def test_harvest_of_a_bad_url_is_one_line_and_status_2(tmp_path, template):
    env = env_for(migrated_copy(template, tmp_path / "central"), SULIEU_ADMIN_PASSWORD="central-admin-2026")
    sulieu(env, "createadmin", "admin")
    done = sulieu(env, "harvest", "ftp://example.org/oai", check=False)
    assert done.returncode == 2 and "not an http(s) URL" in done.stderr
    port = free_port()
    done = sulieu(env, "harvest", "http://127.0.0.1:%d/oai" % port, check=False)
    assert done.returncode == 2 and "not a reachable OAI-PMH provider" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
