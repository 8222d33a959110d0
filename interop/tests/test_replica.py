"""Search and reading pages read from a replica (SULIEU_REPLICA_DATABASE_URL); writes and other pages use the primary.

A real instance in its own data directory: the "replica" is a copy of the database taken before a second
document was ingested, so it lags the primary the way a streaming replica can. Whatever a page shows tells
which database it read.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from interop.tests.procs import django_run, env_for, migrated_copy, sulieu

PAGES = r"""
import json
from django.test import Client
from archive.models import Item
from core.replica import reading_from_replica
client = Client()
first = Item.objects.get(original_name="truoc.txt").pk
second = Item.objects.get(original_name="sau.txt").pk
out = {
    "search_first": client.get("/api/v1/search", {"q": "đình làng Phú Nhơn"}).json()["count"],
    "search_second": client.get("/api/v1/search", {"q": "bến phà Cát Lái"}).json()["count"],
    "item_second": client.get("/items/%d/" % second).status_code,
    "item_first": client.get("/items/%d/" % first).status_code,
}
with reading_from_replica():
    out["orm_inside"] = Item.objects.filter(pk=second).exists()
    Item.objects.filter(pk=first).update(title="Sửa trên bản chính")  # a write: always the primary
out["orm_outside"] = Item.objects.filter(pk=second).exists()
out["title_primary"] = Item.objects.get(pk=first).title
print(json.dumps(out))
"""


def test_search_and_reading_pages_read_the_replica_and_writes_go_to_the_primary(tmp_path: Path, template: Path):
    data = migrated_copy(template, tmp_path / "primary")
    env = env_for(data)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "truoc.txt").write_text("Lịch sử đình làng Phú Nhơn và chi bộ đầu tiên của xã.\n", "utf-8")
    sulieu(env, "ingest", str(docs / "truoc.txt"), "--access", "public", "--no-progress")
    replica = tmp_path / "replica.sqlite3"
    shutil.copy(data / "sulieu.sqlite3", replica)  # the replica stops here: it lags from now on
    (docs / "sau.txt").write_text("Bến phà Cát Lái trong kháng chiến chống Mỹ.\n", "utf-8")
    sulieu(env, "ingest", str(docs / "sau.txt"), "--access", "public", "--no-progress")

    primary_only = json.loads(django_run(env, PAGES))
    assert primary_only["search_first"] == 1 and primary_only["search_second"] == 1
    assert primary_only["item_second"] == 200 and primary_only["orm_inside"] is True

    with_replica = json.loads(django_run({**env, "SULIEU_REPLICA_DATABASE_URL": "sqlite:///%s" % replica}, PAGES))
    assert with_replica["search_first"] == 1
    assert with_replica["search_second"] == 0  # the search page read the lagging replica
    assert with_replica["item_second"] == 404 and with_replica["item_first"] == 200  # so did the item page
    assert with_replica["orm_inside"] is False and with_replica["orm_outside"] is True
    assert with_replica["title_primary"] == "Sửa trên bản chính"
