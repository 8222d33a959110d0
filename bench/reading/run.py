"""Reading-room benchmark: server time of the item, search and list pages with a big archive.

    .venv/bin/python bench/reading/run.py [--items 100000] [--children 10000] [--repeat 30] [--data-dir DIR]
    .venv/bin/python bench/reading/run.py --only-places [--explain] [--data-dir /tmp/DIR] [--postgres]

Builds a throwaway data directory (SQLite) with ``--items`` items (rows written in bulk: one blob, one to
three pages of generated Vietnamese text, dates, places, references) in a fonds whose series holds
``--children`` files, indexes them with the configured search backend, then times full requests through
Django (URL routing, middleware, access checks, templates) with the test client, as the anonymous public and
as a logged-in reader. Prints one JSON object (p50/p95/max in ms per page).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sulieu.settings")

PLACES = ["Khánh Hòa", "Cam Lâm", "Ninh Hòa", "Vạn Ninh", "Diên Khánh", "Nha Trang", "Cam Ranh", "Suối Tân",
          "Ninh Ích", "Vạn Thắng", "Diên Lạc", "Cam Hải"]
# Beside the twelve places of ~1/6 of the items each: one very common place and two rare ones, chosen by the
# item's number (not the random generator, so the rest of the data is the same as before they were added).
EXTRA_PLACES = (("Việt Nam", lambda n: n % 5 < 3), ("Đảo Bình Ba", lambda n: n % 500 == 7),
                ("Hòn Tre", lambda n: n % 5000 == 11))


def build(n_items: int, n_children: int, seed: int) -> dict:
    from django.contrib.auth import get_user_model

    from archive.models import Blob, Collection, Item, ItemPage, ItemPlace, ItemReference
    from archive.models.items import place_names
    from orgs.models import Role, UnitKind
    from orgs.services import membership_set, orgunit_create
    from search.eval.generate import build as generate

    rng = random.Random(seed)
    province = orgunit_create(name="Tỉnh Khánh Hòa", kind=UnitKind.PROVINCE, code="56")
    communes = [orgunit_create(name="Xã %d" % n, kind=UnitKind.COMMUNE, parent=province, code="c%d" % n)
                for n in range(20)]
    reader = get_user_model().objects.create_user("reader", password="x")  # noqa: S106
    membership_set(user=reader, unit=communes[0], role=Role.READER)

    def collection(title: str, kind: str, parent: Collection | None, code: str) -> Collection:
        return Collection(title=title, kind=kind, parent=parent, code=code, access="public",
                          org_unit=province, depth=parent.depth + 1 if parent else 0)

    fonds = collection("Phông Tỉnh ủy", "fonds", None, "TU")
    fonds.save()
    fonds.path = "%06d." % fonds.pk
    fonds.save()
    series = collection("Hồ sơ các năm", "series", fonds, "TU.1")
    series.save()
    series.path = fonds.path + "%06d." % series.pk
    series.save()
    files = Collection.objects.bulk_create(
        [collection("Hồ sơ số %05d" % n, "file", series, "TU.1.%05d" % n) for n in range(n_children)],
        batch_size=2000)
    for f in files:
        f.path = series.path + "%06d." % f.pk
    Collection.objects.bulk_update(files, ["path"], batch_size=2000)

    rows, queries = generate(max(n_items, 300), seed)
    rows = rows[:n_items]
    blobs = Blob.objects.bulk_create(
        [Blob(sha256="%064x" % n, size=1000, mime="application/pdf") for n in range(n_items)], batch_size=5000)
    items = []
    for n, (row, blob) in enumerate(zip(rows, blobs, strict=True)):
        day = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(95 * 365))
        unit = rng.choice(communes)
        items.append(Item(
            original=blob, original_name="item-%d.pdf" % n, title=row["title"][:1000], summary=row["text"][:200],
            symbol="%d-KH/TU" % n if n % 3 == 0 else "", doc_type_name="Kế hoạch" if n % 3 == 0 else "",
            doc_type_code="KH" if n % 3 == 0 else "", issuer_name="Tỉnh ủy Khánh Hòa", issuer_code="TU",
            date_earliest=day, date_latest=day, date_precision="day", format="pdf", mime="application/pdf",
            access=rng.choice(["public", "public", "public", "internal", "restricted"]), org_unit=unit,
            collection=rng.choice(files), places=[{"name": p, "level": "commune"} for p in rng.sample(PLACES, 2)]
            + [{"name": p, "level": "country"} for p, has in EXTRA_PLACES if has(n)],
            status="done", stage="done", page_count=0))
    items = Item.objects.bulk_create(items, batch_size=2000)
    # bulk_create skips Item.save(): the place index rows are written here
    copied = getattr(ItemPlace, "copied", lambda item: {})  # the item columns the place index carries
    ItemPlace.objects.bulk_create([ItemPlace(item=item, name=name, **copied(item)) for item in items
                                   for name in place_names(item.places)], batch_size=5000)
    pages = []
    for item, row in zip(items, rows, strict=True):
        text = row["text"]
        n_pages = 1 + item.pk % 3
        size = max(1, len(text) // n_pages)
        for p in range(n_pages):
            pages.append(ItemPage(item=item, n=p + 1, text=text[p * size:(p + 1) * size] if p < n_pages - 1
                                  else text[p * size:]))
        item.page_count = n_pages
    ItemPage.objects.bulk_create(pages, batch_size=5000)
    Item.objects.bulk_update(items, ["page_count"], batch_size=5000)
    refs = []
    for item in items[1::7]:
        target = items[rng.randrange(0, len(items), 3)]
        refs.append(ItemReference(source=item, symbol=target.symbol or "1-KH/TU", type_name="Kế hoạch",
                                  target=target))
    ItemReference.objects.bulk_create(refs, batch_size=5000, ignore_conflicts=True)
    return {"reader": reader, "items": items, "fonds": fonds, "series": series, "queries": queries,
            "pages": len(pages)}


def index_all(items: list) -> float:
    from archive.models import ItemPage
    from search.backends import get_backend
    from search.documents import SearchDocument, SearchPage

    started = time.perf_counter()
    backend = get_backend()
    texts: dict[int, list[SearchPage]] = {}
    for item_id, n, text in ItemPage.objects.order_by("item_id", "n").values_list("item_id", "n", "text").iterator(
            chunk_size=5000):
        texts.setdefault(item_id, []).append(SearchPage(n, text))
    batch = []
    for item in items:
        unit = item.org_unit
        batch.append(SearchDocument(
            id=item.pk, title=item.title, pages=texts.get(item.pk, []), summary=item.summary, symbol=item.symbol,
            doc_type=item.doc_type_name, doc_type_code=item.doc_type_code, issuer=item.issuer_name,
            issuer_code=item.issuer_code, date_from=item.date_earliest, date_to=item.date_latest,
            access=item.access, unit_id=unit.pk, unit_path=unit.path, collection_id=item.collection_id,
            collection_path=item.collection.path, places=[p["name"] for p in item.places]))
        if len(batch) >= 2000:
            backend.index(batch)
            batch = []
    if batch:
        backend.index(batch)
    backend.optimize()
    return time.perf_counter() - started


def timed(client: object, urls: list[str], **headers: str) -> list[float]:
    out = []
    for url in urls:
        started = time.perf_counter()
        response = client.get(url, **headers)  # type: ignore[attr-defined]
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        out.append((time.perf_counter() - started) * 1000)
        assert response.status_code in (200, 302), (url, response.status_code)
    return out


def summary(times: list[float]) -> dict[str, float]:
    times = sorted(times)
    return {"p50": round(statistics.median(times), 1), "p95": round(times[int(0.95 * (len(times) - 1))], 1),
            "max": round(times[-1], 1), "n": len(times)}


def load(args: argparse.Namespace) -> dict | None:
    """The world of an earlier run in the same database (``--data-dir`` reused), or None to build it."""
    from django.contrib.auth import get_user_model

    from archive.models import Collection, Item, ItemPage

    reader = get_user_model().objects.filter(username="reader").first()
    if reader is None or Item.objects.count() != args.items:
        return None
    world = {"reader": reader, "fonds": Collection.objects.get(code="TU"), "series": Collection.objects.get(code="TU.1"),
             "pages": ItemPage.objects.count(), "items": [], "queries": []}
    if not args.only_places:
        from search.eval.generate import build as generate

        world["items"] = list(Item.objects.select_related("org_unit", "collection").order_by("id"))
        world["queries"] = generate(max(args.items, 300), args.seed)[1]
    return world


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--children", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--only-places", action="store_true",
                        help="time only the place pages (no search index): every place, pages 1, 2, middle, last")
    parser.add_argument("--rounds", type=int, default=2, help="--only-places: times each place page is requested")
    parser.add_argument("--explain", action="store_true",
                        help="--only-places: print the query plans of the place page's statements (deepest page "
                             "of the most common place, as the reader)")
    parser.add_argument("--data-dir", help="keep the data directory here and reuse the items built by an earlier "
                                           "run with the same --items (default: a throwaway directory)")
    parser.add_argument("--postgres", action="store_true",
                        help="use $DATABASE_URL (e.g. under scripts/with-postgres.sh) instead of SQLite")
    args = parser.parse_args()
    if args.data_dir:
        Path(args.data_dir).mkdir(parents=True, exist_ok=True)
        _run(args, args.data_dir)
    else:
        with tempfile.TemporaryDirectory(prefix="sulieu-bench-reading-") as tmp:
            _run(args, tmp)


def _run(args: argparse.Namespace, data_dir: str) -> None:
    os.environ["SULIEU_DATA_DIR"] = data_dir
    if not args.postgres:
        os.environ.pop("DATABASE_URL", None)
    elif not os.environ.get("DATABASE_URL"):
        sys.exit("run.py: --postgres needs DATABASE_URL (run it under scripts/with-postgres.sh)")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    world = load(args)
    reused = world is not None
    if world is None:
        world = build(args.items, args.children, args.seed)
    build_s = 0.0 if reused else time.perf_counter() - started
    from django.db import connection

    if connection.vendor == "postgresql":  # what autovacuum does on a running site after a bulk load
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    if args.only_places:
        _places_only(world, args, build_s, Client)
        return
    index_s = index_all(world["items"])
    rng = random.Random(args.seed)
    public = [i for i in world["items"] if i.access == "public"]
    sample = rng.sample(public, args.repeat)
    words = [q["query"] for q in world["queries"] if q["kind"] != "symbol"]
    anonymous, reader = Client(), Client()
    reader.force_login(world["reader"])
    for client in (anonymous, reader):  # warm caches, templates, the SQLite page cache
        timed(client, ["/items/%s/" % sample[0].pk, "/search/?q=lich+su"])
    item_urls = ["/items/%s/?q=ke+hoach" % i.pk for i in sample]
    results = {
        "item page (anonymous)": summary(timed(anonymous, item_urls)),
        "item page (reader)": summary(timed(reader, item_urls)),
        "item related items (htmx, a search)": summary(timed(anonymous, ["/items/%s/related/" % i.pk
                                                                      for i in sample])),
        "item page flip, htmx": summary(timed(anonymous, ["/items/%s/?page=2" % i.pk for i in sample],
                                              HTTP_HX_REQUEST="true")),
        "api /api/v1/items/<id>": summary(timed(anonymous, ["/api/v1/items/%s" % i.pk for i in sample])),
        "search page (anonymous)": summary(timed(anonymous, ["/search/?q=%s" % q.replace(" ", "+")
                                                             for q in rng.sample(words, args.repeat)])),
        "search page (reader)": summary(timed(reader, ["/search/?q=%s" % q.replace(" ", "+")
                                                       for q in rng.sample(words, args.repeat)])),
        "home (first, fills the browse cache)": summary(timed(anonymous, ["/luu-tru/"])),
        "home": summary(timed(anonymous, ["/luu-tru/"] * 5)),
        "tree: open node with %d children" % args.children: summary(timed(
            anonymous, ["/collections/%s/children/" % world["series"].pk] * 5)),
        "tree: page 40 of that node": summary(timed(
            anonymous, ["/collections/%s/children/?page=40" % world["series"].pk] * 5)),
        "timeline (first)": summary(timed(anonymous, ["/timeline/"])),
        "timeline": summary(timed(anonymous, ["/timeline/"] * 5)),
        "timeline year": summary(timed(anonymous, ["/timeline/?year=1975"] * 5)),
        "places (first)": summary(timed(anonymous, ["/places/"])),
        "places": summary(timed(anonymous, ["/places/"] * 5)),
        "place items": summary(timed(anonymous, ["/places/?name=Cam+Lâm"] * 5)),
    }
    print(json.dumps({
        "database": _database(), "cpus": os.cpu_count(),
        "items": args.items, "pages": world["pages"], "children_of_one_node": args.children,
        "build_s": round(build_s, 1), "index_s": round(index_s, 1), "ms": results,
        "note": "server time through the Django test client (routing, middleware, access, templates); "
                "target <= 200 ms for item and search pages",
    }, ensure_ascii=False, indent=2))


def _database() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        return "sqlite " + __import__("sqlite3").sqlite_version
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return "postgresql " + cursor.fetchone()[0]


def _timed_cpu(client: object, urls: list[str]) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds per request (CPU of this process: with SQLite that includes the queries)."""
    wall, cpu = [], []
    for url in urls:
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)  # type: ignore[attr-defined]
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return wall, cpu


def _explain(client: object, url: str) -> list[dict]:
    """The statements one request runs, each with its plan (EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on
    PostgreSQL)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)  # type: ignore[attr-defined]
    out = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if "itemplace" not in sql.lower():
            continue
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql)
            rows = cursor.fetchall()
        plan = ["%s%s" % ("  " * 0, row[-1]) for row in rows]
        out.append({"sql": sql, "ms": query["time"], "plan": plan})
    return out


def _places_only(world: dict, args: argparse.Namespace, build_s: float, client_class: type) -> None:
    """The "items of one place" page of every place (pages 1, 2, the middle one and the last), as the public
    and as a reader, by kind of page (shallow: 1 and 2; deep: middle and last) and of place (common: 10,000
    items or more; rare: fewer than 1,000)."""
    import urllib.parse

    from django.db.models import Count

    from archive.models import ItemPlace

    anonymous, reader = client_class(), client_class()
    reader.force_login(world["reader"])
    per_place = dict(ItemPlace.objects.values_list("name").annotate(n=Count("id")).values_list("name", "n"))
    groups: dict[str, list[str]] = {}
    for name, n in sorted(per_place.items()):
        last = max(1, -(-n // 50))
        kind = "common" if n >= 10_000 else "rare" if n < 1000 else "other"
        for depth, pages in (("shallow", (1, 2)), ("deep", (max(1, last // 2), last))):
            groups.setdefault("%s place, %s pages" % (kind, depth), []).extend(
                "/places/?%s" % urllib.parse.urlencode({"name": name, "page": p}) for p in pages)
    every = [url for urls in groups.values() for url in urls]
    for client in (anonymous, reader):
        _timed_cpu(client, every[:2])  # warm up (the place counts are cached a few minutes)
    load_before = os.getloadavg()
    results: dict[str, dict] = {}
    all_wall: dict[str, list[float]] = {"anonymous": [], "reader": []}
    all_cpu: dict[str, list[float]] = {"anonymous": [], "reader": []}
    for who, client in (("anonymous", anonymous), ("reader", reader)):
        for group, urls in groups.items():
            wall, cpu = _timed_cpu(client, urls * args.rounds)
            all_wall[who] += wall
            all_cpu[who] += cpu
            results["%s: %s" % (who, group)] = {"wall": summary(wall), "cpu": summary(cpu)}
        results["%s: every place page" % who] = {"wall": summary(all_wall[who]), "cpu": summary(all_cpu[who])}
    load_after = os.getloadavg()
    report = {"database": _database(), "items": args.items, "places": len(per_place),
              "items per place": sorted(per_place.values()), "build_s": round(build_s, 1),
              "load average (1, 5, 15 min) before / after": [[round(x, 2) for x in load_before],
                                                             [round(x, 2) for x in load_after]],
              "ms": results}
    if args.explain:
        name = max(per_place, key=lambda k: per_place[k])
        url = "/places/?%s" % urllib.parse.urlencode({"name": name, "page": -(-per_place[name] // 50)})
        report["explain"] = {"url": url, "statements": _explain(reader, url)}
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
