"""Upgrade: a data directory made by the previous release's demo migrates to the current code without loss.

`samples/upgrade/stop8-demo.tar.xz` is the data directory `sulieu demo` made with the code of commit 757e98f
(the release before the books, portal, contests, oversight and interop apps; see samples/upgrade/README.md).
The test unpacks it, reads its facts with plain SQL, lets the current `sulieu` migrate it as any command
does, and checks that the same facts come back, every stored file still passes fixity, and the archive is
searchable and readable.
"""

from __future__ import annotations

import json
import sqlite3
import tarfile
from pathlib import Path

from interop.tests.procs import django_run, env_for, sulieu

ARCHIVE = Path(__file__).parent / "samples" / "upgrade" / "stop8-demo.tar.xz"
FACTS = {
    "items": "select id, title, symbol, access, status, original_id from archive_item order by id",
    "pages": "select item_id, n, length(text) from archive_itempage order by item_id, n",
    "blobs": "select sha256, size from archive_blob order by sha256",
    "collections": "select id, code, title from archive_collection order by id",
    "units": "select id, code, name, path from orgs_orgunit order by id",
    "users": "select username, is_superuser from auth_user order by username",
    "memberships": "select user_id, unit_id, role from orgs_membership order by id",
    "events": "select item_id, kind from archive_itemevent order by id",
}
CHECK = r"""
import json
from django.test import Client
from archive.models import Item
from search.services import search_items
client = Client()
public = Item.objects.filter(access="public", status="done").order_by("pk").first()
out = {"search": search_items(user=None, query="Chỉ thị 20-CT/TW").count,
       "item_page": client.get("/items/%d/" % public.pk).status_code,
       "home": client.get("/").status_code, "reading_room": client.get("/luu-tru/").status_code}
print(json.dumps(out))
"""


def _facts(db: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(db) as conn:
        return {name: conn.execute(sql).fetchall() for name, sql in FACTS.items()}


def test_the_previous_release_demo_migrates_without_loss(tmp_path: Path):
    data = tmp_path / "data"
    with tarfile.open(ARCHIVE) as tar:
        tar.extractall(data, filter="data")
    before = _facts(data / "sulieu.sqlite3")
    assert len(before["items"]) >= 5 and before["blobs"] and before["units"]

    env = env_for(data)
    env.pop("SULIEU_FILES_DIR", None)
    migrated = sulieu(env, "manage", "migrate", "-v", "0", timeout=900)
    assert migrated.returncode == 0
    after = _facts(data / "sulieu.sqlite3")
    for name in FACTS:
        assert after[name][:len(before[name])] == before[name], name  # nothing lost or changed
    assert len(after["items"]) == len(before["items"])

    fixity = json.loads(sulieu(env, "fixity", "--json").stdout)
    assert fixity["problems"] == 0 and fixity["orphans"] == []
    checked = json.loads(django_run(env, CHECK))
    assert checked["search"] >= 1
    assert checked["item_page"] == 200 and checked["home"] == 200 and checked["reading_room"] == 200
