"""Ingest benchmark: born-digital docs/s end to end, OCR overhead vs plain tesseract, a 10,000-file folder.

    SULIEU_DATA_DIR=$(mktemp -d) .venv/bin/python bench/ingest/run.py [--files 10000] [--docs 300]
        [--corpus varied|lookalike|both] [--profile] [--phases] [--warm N] [--template MIGRATED_DATA_DIR] [--skip docs ocr folder]

Prints figures; each part runs in a fresh data directory (SQLite) in one process (one core).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def setup() -> None:
    os.environ.setdefault("SULIEU_DATA_DIR", tempfile.mkdtemp(prefix="sulieu-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sulieu.settings")
    import django

    django.setup()
    from sulieu.cli import ensure_database

    ensure_database(verbose=False)


def _load() -> str:
    return "%.2f" % os.getloadavg()[0]


class StatementCounter:
    """Counts the SQL statements this process sends (``connection.execute_wrapper``)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        self.count += 1
        return execute(sql, params, many, context)


def ingest_folder(folder: Path, *, profile: bool = False, phases: bool = False) -> tuple[dict, float, float, int]:
    """Ingest and process a folder; returns the summary, wall seconds, CPU seconds of this process and the number
    of SQL statements sent. ``phases``: print CPU and statements by phase; ``profile``: cProfile's top functions
    and the share of Django's own Python."""
    import contextlib
    import cProfile
    import pstats

    from django.db import connection

    from archive import ingest, runner
    from archive.services import IngestOptions

    counter = StatementCounter()
    sql_timer = SqlTimer()
    timer = PhaseTimer(counter) if phases else None
    profiler = cProfile.Profile() if profile else None
    n_docs = sum(1 for p in folder.rglob("*") if p.is_file())
    with contextlib.ExitStack() as stack:
        stack.enter_context(connection.execute_wrapper(counter))
        if timer:
            stack.enter_context(connection.execute_wrapper(sql_timer))
            stack.enter_context(timer)
        start, cpu_start = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        results = ingest.ingest_sources([str(folder)], options=IngestOptions(channel="bench"))
        runner.run_until_done([r.item.pk for r in results if r.item is not None], poll=0.01)
        if profiler:
            profiler.disable()
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    if timer:
        print(timer.table(n_docs, cpu, counter.count))
        print("  %-48s %9.2f %6.1f%%" % ("  of which inside the database driver (execute)",
                                         1000 * sql_timer.cpu / n_docs, 100 * sql_timer.cpu / cpu))
    if profiler:
        out = Path(tempfile.gettempdir()) / ("sulieu-bench-%s.prof" % folder.name)
        profiler.dump_stats(str(out))
        print("profile written to %s" % out)
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(r"sulieu|archive|vntext|search|core", 30)
        stats.sort_stats("tottime").print_stats(20)
        raw = stats.stats  # type: ignore[attr-defined]
        orm = sum(v[2] for (f, _l, _fn), v in raw.items() if "/django/db/" in f)
        print("Django's own Python (django/db/*, own time) under cProfile: %.1f %% of the profiled time"
              % (100 * orm / stats.total_tt))  # type: ignore[attr-defined]
    summary = ingest.summarise(results).as_dict()
    summary["sources"] = {r.source: r.item.pk for r in results if r.item is not None}
    return summary, elapsed, cpu, counter.count


# Where the CPU goes: (label, module, attribute) whose inclusive CPU time and SQL statements are measured by
# wrapping the function (`--phases`: a few hundred wrapped calls per document, no profiler distortion). Indented
# labels are parts of the one above; they need not add up (a step also writes through the ORM).
PHASES = [
    ("registration (ingest_sources)", "archive.ingest", "ingest_sources"),
    ("  storing the bytes (hash, write, fsync)", "archive.storage", "put_stream"),
    ("  task rows written (items_enqueue_first)", "archive.ingest", "items_enqueue_first"),
    ("  items inserted with their ids (rows_insert_returning)", "archive.ingest", "rows_insert_returning"),
    ("queue claim (claim_row)", "archive.queue", "claim_row"),
    ("queue claim, batched (claim_rows)", "archive.queue", "claim_rows"),
    ("  items leased and read together (claim_items)", "archive.runner", "claim_items"),
    ("runner: task rows marked done together", "archive.queue", "rows_finished"),
    ("chains of a claimed batch (run_chains)", "archive.pipeline.chains", "run_chains"),
    ("  rows of the batch written (_batch_write)", "archive.pipeline.chains", "_batch_write"),
    ("    items written (items_write, one executemany)", "archive.pipeline.chains", "items_write"),
    ("    rows inserted (one executemany a model)", "archive.pipeline.chains", "rows_insert_many"),
    ("    reference targets found", "archive.pipeline.chains", "_targets_find"),
    ("    band rows inserted (band_rows_insert)", "archive.pipeline.chains", "band_rows_insert"),
    ("      pages inserted with their ids (rows_insert_returning)", "archive.pipeline.chains", "rows_insert_returning"),
    ("rows inserted anywhere (bulk_create)", "django.db.models.query", "QuerySet.bulk_create"),
    ("items updated anywhere (bulk_update)", "django.db.models.query", "QuerySet.bulk_update"),
    ("steps chain alone (_run_chain)", "archive.pipeline.engine", "_run_chain"),
    ("  identify", "archive.pipeline.steps.identify", "Identify.run"),
    ("  extract", "archive.pipeline.steps.extract", "Extract.run"),
    ("    parsing DOCX/HTML/TXT (formats.extract)", "archive.formats", "extract"),
    ("      HTML metadata from the page's tags (html_metadata)", "archive.formats", "html_metadata"),
    ("    pages and text versions saved", "archive.pipeline.steps.extract", "_pages_save"),
    ("  describe", "archive.pipeline.steps.describe", "Describe.run"),
    ("    vntext find_refs", "vntext", "find_refs"),
    ("    vntext find_places", "vntext.places", "find_places"),
    ("    vntext find_dates", "vntext.dates", "find_dates"),
    ("    references saved (_refs_save)", "archive.pipeline.steps.describe", "_refs_save"),
    ("  deduplicate", "archive.pipeline.steps.deduplicate", "Deduplicate.run"),
    ("    MinHash (text_signature)", "archive.pipeline.steps.deduplicate", "text_signature"),
    ("    candidates read (one statement)", "archive.pipeline.steps.deduplicate", "candidates"),
    ("  ItemPlace.sync", "archive.models", "ItemPlace.sync"),
    ("index batch (run_index_batch)", "archive.pipeline.engine", "run_index_batch"),
    ("  search index write (hooks.items_changed)", "archive.hooks", "items_changed"),
    ("runner: resume", "archive.runner", "resume"),
    ("runner: _unfinished", "archive.runner", "_unfinished"),
    ("runner: task row marked done (set_successful)", "django_tasks_db.models", "DBTaskResult.set_successful"),
]


class PhaseTimer:
    """Inclusive CPU seconds and SQL statements of the functions named in PHASES (wrapped while active)."""

    def __init__(self, counter: StatementCounter) -> None:
        self.counter = counter
        self.cpu: dict[str, float] = {}
        self.sql: dict[str, int] = {}
        self.undo: list = []

    def _wrap(self, label: str, fn):  # type: ignore[no-untyped-def]
        import functools

        depth = [0]

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            if depth[0]:  # recursive call: counted once, by the outer one
                return fn(*args, **kwargs)
            depth[0] += 1
            cpu, sql = time.process_time(), self.counter.count
            try:
                return fn(*args, **kwargs)
            finally:
                depth[0] -= 1
                self.cpu[label] = self.cpu.get(label, 0.0) + time.process_time() - cpu
                self.sql[label] = self.sql.get(label, 0) + self.counter.count - sql
        return wrapper

    def __enter__(self) -> PhaseTimer:
        import importlib
        import inspect

        for label, module_name, attr in PHASES:
            try:
                owner = importlib.import_module(module_name)
                *path, name = attr.split(".")
                for part in path:
                    owner = getattr(owner, part)
                raw = inspect.getattr_static(owner, name)
            except (ImportError, AttributeError):
                continue
            if isinstance(raw, classmethod):
                wrapped = classmethod(self._wrap(label, raw.__func__))
            elif isinstance(raw, staticmethod):
                wrapped = staticmethod(self._wrap(label, raw.__func__))
            else:
                wrapped = self._wrap(label, raw)
            setattr(owner, name, wrapped)
            self.undo.append((owner, name, raw))
        return self

    def __exit__(self, *exc: object) -> None:
        for owner, name, raw in reversed(self.undo):
            setattr(owner, name, raw)

    def table(self, n_docs: int, total_cpu: float, total_sql: int) -> str:
        lines = ["CPU and SQL statements by phase (wrapped functions, inclusive; per document of %d; load %s):"
                 % (n_docs, _load()),
                 "  %-48s %9s %7s %9s" % ("phase", "ms CPU", "% CPU", "stmts")]
        for label, _module, _attr in PHASES:
            if label in self.cpu:
                lines.append("  %-48s %9.2f %6.1f%% %9.2f" % (
                    label, 1000 * self.cpu[label] / n_docs, 100 * self.cpu[label] / total_cpu,
                    self.sql[label] / n_docs))
        lines.append("  %-48s %9.2f %6.1f%% %9.2f" % ("whole ingest", 1000 * total_cpu / n_docs, 100.0,
                                                     total_sql / n_docs))
        return "\n".join(lines)


class SqlTimer:
    """CPU seconds spent inside the database driver (``execute`` itself, not Django's query building)."""

    def __init__(self) -> None:
        self.cpu = 0.0

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        cpu = time.process_time()
        try:
            return execute(sql, params, many, context)
        finally:
            self.cpu += time.process_time() - cpu


def dedup_check(corpus, sources: dict[str, int]) -> str:
    """Planted exact and near duplicates against what ingest and the deduplicate step found."""
    from archive.models import DuplicateCandidate

    ids = {Path(source).name: pk for source, pk in sources.items()}
    exact_ok = sum(ids.get(copy.name) == ids.get(source.name) for copy, source in corpus.exact.items())
    mine = set(ids.values())
    pairs = {(min(a, b), max(a, b)) for a, b in DuplicateCandidate.objects.values_list("item_id", "other_id")
             if a in mine and b in mine}
    planted = {(min(ids[c.name], ids[s.name]), max(ids[c.name], ids[s.name])) for c, s in corpus.near.items()
               if c.name in ids and s.name in ids}
    found = len(planted & pairs)
    extra = len(pairs - planted)
    return ("exact copies linked to their source %d/%d; near-copies paired %d/%d; other pairs %d"
            % (exact_ok, len(corpus.exact), found, len(planted), extra))


def bench_born_digital(tmp: Path, n: int, *, kind: str = "varied", profile: bool = False,
                       phases: bool = False, warm: int = 0) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import corpus as corpora

    if warm:  # the one-off costs of a process (imports, the gazetteer, first calls) paid before the count
        warm_folder = tmp / ("warm-" + kind)
        corpora.make_lookalike(warm_folder, warm)  # another text: no duplicate of the measured documents
        ingest_folder(warm_folder)
        print("warmed up on %d look-alike documents (not counted)" % warm)
    folder = tmp / ("docs-" + kind)
    corpus = corpora.make_varied(folder, n) if kind == "varied" else corpora.make_lookalike(folder, n)
    chars = sum(len(p.read_bytes()) for p in corpus.files)
    summary, elapsed, cpu, statements = ingest_folder(folder, profile=profile, phases=phases)
    print("born-digital, %s corpus (%d files %s, %.0f kB): %.1f docs/s end to end, one process; %.1f docs per "
          "CPU-second (%.2f ms CPU/doc); %.1f SQL statements per doc; imported=%d duplicates=%d failed=%d; load %s"
          % (kind, n, corpus.by_type, chars / 1024, n / elapsed, n / cpu, 1000 * cpu / n, statements / n,
             summary["imported"], summary["duplicates"], summary["failed"], _load()))
    if kind == "varied":
        print("  dedup: " + dedup_check(corpus, summary["sources"]))


def bench_ocr(tmp: Path) -> None:
    from archive import samples
    from archive.ocr import ocr_page

    pages = [["TỈNH ỦY KHÁNH HÒA", "Số %d-KH/TU" % i, "KẾ HOẠCH", "thực hiện Chỉ thị số 20-CT/TW của Ban Bí thư",
              "về tiếp tục tăng cường công tác nghiên cứu, biên soạn lịch sử Đảng."] * 3 for i in range(3)]
    pngs = []
    for i, lines in enumerate(pages):
        path = tmp / ("page-%d.png" % i)
        samples.render_page(lines, dpi=300, height_cm=29.7).save(path, dpi=(300, 300))
        pngs.append(path)
    ocr_page(pngs[0].read_bytes(), is_pdf=False, dpi=300)  # warm up imports
    start = time.perf_counter()
    for path in pngs:
        ocr_page(path.read_bytes(), is_pdf=False, dpi=300)
    ours = time.perf_counter() - start
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    start = time.perf_counter()
    for path in pngs:
        subprocess.run(["tesseract", str(path), str(path.with_suffix("")), "-l", "vie", "hocr"], env=env,
                       check=True, capture_output=True)
    plain = time.perf_counter() - start
    print("OCR, %d A4 pages at 300 dpi: sulieu (one tesseract pass: text, hOCR, PDF) %.2f s/page, plain tesseract %.2f s/page,"
          " overhead %.2fx" % (len(pngs), ours / len(pngs), plain / len(pngs), ours / plain))


def bench_folder(tmp: Path, n: int, template: str | None = None) -> None:
    """``sulieu ingest FOLDER --json`` on ``n`` generated TXT/HTML/DOCX files in subfolders of 500, with planted
    byte-identical copies and broken files; checks the printed counts against what was planted."""
    import json
    import shutil

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import corpus as corpora

    folder = tmp / "big"
    started = time.perf_counter()
    made = corpora.make_varied(folder / "tmp", n - n // 200, seed=31)
    for i, path in enumerate(made.files):  # subfolders of 500 files
        sub = folder / ("%03d" % (i // 500))
        sub.mkdir(exist_ok=True)
        path.rename(sub / path.name)
    shutil.rmtree(folder / "tmp")
    for i in range(n // 200):  # 0.5 % broken: a PDF that is not one, an empty DOCX
        bad = folder / ("%03d" % (i % max(1, len(made.files) // 500))) / ("hong-%03d.%s" % (i, "pdf" if i % 2 else "docx"))
        bad.write_bytes(b"%PDF-1.4 broken" if i % 2 else b"")
    print("folder of %d files made in %.0f s (%s + %d broken)" % (n, time.perf_counter() - started, made.by_type,
                                                                   n // 200))
    data = tmp / "big-data"
    if template:
        shutil.copytree(template, data)
    env = {**os.environ, "SULIEU_DATA_DIR": str(data)}
    env.pop("DATABASE_URL", None)
    cli = Path(sys.executable).parent / "sulieu"
    done = subprocess.run([str(cli), "ingest", str(folder), "--json", "--no-progress"], env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print("sulieu ingest failed (%d): %s" % (done.returncode, done.stderr[-2000:]))
        return
    out = json.loads(done.stdout)
    expected = {"seen": n, "imported": len(made.files) - len(made.exact), "duplicates": len(made.exact),
                "failed": n // 200}
    got = {k: out[k] for k in expected}
    print("sulieu ingest %d files --json: %s (planted: %s, %s); by type %s; wall %.0f s, CPU %.0f s (%.1f files "
          "per CPU-second), peak RSS %.0f MB; load %s"
          % (n, got, expected, "exact" if got == expected else "MISMATCH",
             json.dumps(out["by_type"], sort_keys=True), out["wall_seconds"], out["cpu_seconds"],
             n / max(out["cpu_seconds"], 1e-9), out["peak_rss_mb"], _load()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--files", type=int, default=10000)
    parser.add_argument("--skip", nargs="*", default=[], choices=["docs", "ocr", "folder"])
    parser.add_argument("--corpus", choices=["varied", "lookalike", "both"], default="varied",
                        help="born-digital corpus: varied real text with planted duplicates, or one repeated form")
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions of the docs part")
    parser.add_argument("--phases", action="store_true",
                        help="print CPU ms and SQL statements per document by phase (wrapped functions)")
    parser.add_argument("--warm", type=int, default=0,
                        help="ingest this many other documents first, uncounted: the per-document cost of a process "
                             "that already runs (a worker), without its one-off imports and loads")
    parser.add_argument("--template", help="a migrated data directory to copy instead of migrating a fresh one")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    if args.template and "SULIEU_DATA_DIR" not in os.environ:
        import shutil

        data = Path(tempfile.mkdtemp(prefix="sulieu-bench-")) / "data"
        shutil.copytree(args.template, data)
        os.environ["SULIEU_DATA_DIR"] = str(data)
    setup()
    with tempfile.TemporaryDirectory() as tmp:
        if "docs" not in args.skip:
            for kind in (["varied", "lookalike"] if args.corpus == "both" else [args.corpus]):
                bench_born_digital(Path(tmp), args.docs, kind=kind, profile=args.profile,
                                   phases=args.phases, warm=args.warm)
        if "ocr" not in args.skip:
            bench_ocr(Path(tmp))
        if "folder" not in args.skip:
            bench_folder(Path(tmp), args.files, args.template)


if __name__ == "__main__":
    main()
