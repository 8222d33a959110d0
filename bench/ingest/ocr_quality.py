"""OCR quality and cost through ingest, page by page, against plain ``tesseract IMAGE - -l vie``.

    .venv/bin/python bench/ingest/ocr_quality.py [--set DIR] [--pages 54] [--json OUT] [-v]

Makes the degraded-page set of :mod:`ocr_set` (or reuses ``--set DIR`` if it holds one), then for every page:
- plain: ``tesseract IMAGE - -l vie`` (``OMP_THREAD_LIMIT=1``; for a PDF page, on the image inside it);
- ingest: the real pipeline (``ingest_sources`` + ``run_until_done``, as ``sulieu ingest`` does) on a fresh
  SQLite data directory, one file at a time, and the text it stores for the item's pages.
CER = Levenshtein distance / ground-truth length, after NFC and whitespace collapsed to single spaces.
Time: wall seconds and CPU seconds (this process + its children); overhead = ingest / plain.
Prints one table per kind of page (file kind, degradation, face family, columns) and the totals.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def cer(ocr: str, truth: str) -> float:
    from rapidfuzz.distance import Levenshtein

    truth = normalise(truth)
    return Levenshtein.distance(normalise(ocr), truth) / max(1, len(truth))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def plain_tesseract(image: Path) -> tuple[str, float, float]:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    wall, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run(["tesseract", str(image), "-", "-l", "vie"], env=env, check=True, capture_output=True)
    return done.stdout.decode("utf-8", "replace"), time.perf_counter() - wall, _children_cpu() - cpu


def setup() -> None:
    os.environ.setdefault("SULIEU_DATA_DIR", tempfile.mkdtemp(prefix="sulieu-bench-ocr-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sulieu.settings")
    import django

    django.setup()
    from sulieu.cli import ensure_database

    ensure_database(verbose=False)


def ingest_file(path: Path) -> tuple[str, float, float, str]:
    """Ingest one file through the pipeline; the stored page text, wall and CPU seconds, the item's status."""
    from archive.ingest import ingest_sources
    from archive.models import Item, ItemPage
    from archive.runner import run_until_done
    from archive.services import IngestOptions

    wall, cpu = time.perf_counter(), time.process_time() + _children_cpu()
    results = ingest_sources([str(path)], options=IngestOptions(channel="bench"))
    ids = [r.item.pk for r in results if r.item is not None]
    run_until_done(ids, poll=0.01)
    wall, cpu = time.perf_counter() - wall, time.process_time() + _children_cpu() - cpu
    if not ids:
        return "", wall, cpu, "failed: %s" % results[0].error
    text = "\n".join(ItemPage.objects.filter(item_id=ids[0]).order_by("n").values_list("text", flat=True))
    item = Item.objects.get(pk=ids[0])
    return text, wall, cpu, item.status if not item.error else "%s: %s" % (item.status, item.error[:80])


def warm_up(folder: Path) -> None:
    """One small page through both paths first, so imports and caches are not charged to page 1."""
    from archive import samples

    path = folder / "warm-up.png"
    samples.render_page(["Ủy ban nhân dân xã Cam Lâm", "Báo cáo"], dpi=150).save(path)
    plain_tesseract(path)
    ingest_file(path)


def table(rows: list[dict], key: str) -> None:
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        groups[str(row[key])].append(row)
    print("\nby %s" % key)
    print("%-10s %5s %7s %9s %10s %8s %9s %8s %8s %6s" % (
        key, "pages", "chars", "CER plain", "CER ingest", "worse", "s plain", "s ingest", "wall ×", "CPU ×"))
    for name, group in sorted(groups.items()):
        _line(name, group)
    _line("total", rows)


def _line(name: str, group: list[dict]) -> None:
    chars = sum(r["chars"] for r in group)
    plain_err = sum(r["cer_plain"] * r["chars"] for r in group) / chars
    ingest_err = sum(r["cer_ingest"] * r["chars"] for r in group) / chars
    worse = sum(1 for r in group if r["cer_ingest"] > r["cer_plain"] + 0.001)
    plain_s = sum(r["wall_plain"] for r in group)
    ingest_s = sum(r["wall_ingest"] for r in group)
    cpu = sum(r["cpu_ingest"] for r in group) / max(1e-9, sum(r["cpu_plain"] for r in group))
    print("%-10s %5d %7d %8.2f%% %9.2f%% %8d %9.1f %8.1f %7.2fx %5.2fx" % (
        name, len(group), chars, 100 * plain_err, 100 * ingest_err, worse, plain_s, ingest_s, ingest_s / plain_s, cpu))


def compare(rows: list[dict], earlier: list[dict]) -> None:
    """Pages whose stored text differs from an earlier run's, and the CPU ratio per kind then and now."""
    then = {r["name"]: r for r in earlier}
    both = [r for r in rows if r["name"] in then]
    changed = [r["name"] for r in both if r.get("text_ingest") != then[r["name"]].get("text_ingest")]
    print("\nagainst %d pages of the earlier run: stored text changed on %d %s" % (len(both), len(changed), changed))
    print("%-8s %5s %12s %12s %10s %10s" % ("kind", "pages", "CPU × then", "CPU × now", "s/page then",
                                           "s/page now"))
    for kind in sorted({r["kind"] for r in both}) + ["total"]:
        group = [r for r in both if kind in ("total", r["kind"])]
        old = [then[r["name"]] for r in group]
        print("%-8s %5d %11.2fx %11.2fx %11.2f %10.2f" % (
            kind, len(group), sum(r["cpu_ingest"] for r in old) / sum(r["cpu_plain"] for r in old),
            sum(r["cpu_ingest"] for r in group) / sum(r["cpu_plain"] for r in group),
            sum(r["cpu_ingest"] - r["cpu_plain"] for r in old) / len(group),
            sum(r["cpu_ingest"] - r["cpu_plain"] for r in group) / len(group)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", type=Path, help="folder of the page set (made there if it has no manifest)")
    parser.add_argument("--pages", type=int, default=54)
    parser.add_argument("--only", help="comma-separated page file names to run (a subset of the set)")
    parser.add_argument("--json", type=Path, help="write the per-page figures here")
    parser.add_argument("-v", "--verbose", action="store_true", help="one line per page")
    parser.add_argument("--compare", type=Path, help="an earlier --json: list pages whose stored text changed, "
                                                    "and the CPU ratio per kind then and now")
    args = parser.parse_args()
    from ocr_set import make_set

    with tempfile.TemporaryDirectory(prefix="sulieu-ocr-set-") as tmp:
        folder = args.set or Path(tmp) / "set"
        if not (folder / "manifest.json").exists():
            started = time.perf_counter()
            make_set(folder, args.pages)
            print("made %d pages in %s (%.0f s)" % (args.pages, folder, time.perf_counter() - started))
        manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
        if args.only:
            wanted = set(args.only.split(","))
            manifest = [p for p in manifest if p["name"] in wanted]
        setup()
        warm_up(Path(tmp))
        rows = []
        started = time.perf_counter()
        for i, page in enumerate(manifest, 1):
            path = folder / page["name"]
            truth = (folder / (Path(page["name"]).name.split(".")[0] + ".gt.txt")).read_text("utf-8")
            image = path.with_name(path.name + ".jpg") if page["kind"] == "pdf" else path
            plain_text, plain_wall, plain_cpu = plain_tesseract(image)
            ingest_text, ingest_wall, ingest_cpu, status = ingest_file(path)
            row = {**page, "cer_plain": cer(plain_text, truth), "cer_ingest": cer(ingest_text, truth),
                   "wall_plain": plain_wall, "cpu_plain": plain_cpu, "wall_ingest": ingest_wall,
                   "cpu_ingest": ingest_cpu, "status": status, "text_ingest": ingest_text}
            rows.append(row)
            if args.verbose:
                print("%3d/%d %-12s %-5s %-6s %-5s %dcol %3ddpi CER plain %6.2f%% ingest %6.2f%%  %5.1fs %5.1fs %s"
                      % (i, len(manifest), page["name"], page["kind"], page["level"], page["family"],
                         page["columns"], page["dpi"], 100 * row["cer_plain"], 100 * row["cer_ingest"],
                         plain_wall, ingest_wall, status), flush=True)
            elif i % 10 == 0:
                print("%d/%d pages (%.0f s)" % (i, len(manifest), time.perf_counter() - started), flush=True)
    for key in ("kind", "level", "family", "columns", "dpi"):
        table(rows, key)
    bad = [r["name"] for r in rows if r["cer_ingest"] > 0.10]
    print("\npages above 10%% CER through ingest: %d %s; through plain tesseract: %d; median ingest/plain wall %.2fx"
          % (len(bad), bad, sum(r["cer_plain"] > 0.10 for r in rows),
             statistics.median(r["wall_ingest"] / r["wall_plain"] for r in rows)))
    print("load average %.2f" % os.getloadavg()[0])
    if args.compare:
        compare(rows, json.loads(args.compare.read_text("utf-8")))
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), "utf-8")


if __name__ == "__main__":
    main()
