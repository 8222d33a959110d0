"""Ingest benchmark: born-digital docs/s end to end, OCR overhead vs plain tesseract, a 10,000-file folder.

    SULIEU_DATA_DIR=$(mktemp -d) .venv/bin/python bench/ingest/run.py [--files 10000] [--docs 300]

Prints figures; each part runs in a fresh data directory (SQLite) in one process (one core).
"""

from __future__ import annotations

import argparse
import os
import resource
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


def make_corpus(folder: Path, n: int) -> None:
    from archive import samples

    folder.mkdir(parents=True)
    for i in range(n):
        lines = ["ĐẢNG ỦY XÃ CAM LÂM", "Số %d-BC/ĐU" % (i + 1), "Cam Lâm, ngày %d tháng %d năm %d" % (
            1 + i % 28, 1 + i % 12, 1990 + i % 30), "BÁO CÁO", "tình hình thực hiện Chỉ thị số 20-CT/TW quý %d" % (
            1 + i % 4), "", ("Thực hiện Kế hoạch số 98-KH/TU của Ban Thường vụ Tỉnh ủy, Đảng ủy xã báo cáo kết quả "
                             "sưu tầm %d tư liệu lịch sử Đảng bộ và nhân dân xã. " % (i * 7)) * 4]
        kind = i % 3
        if kind == 0:
            (folder / ("bc-%05d.txt" % i)).write_text("\n".join(lines), "utf-8")
        elif kind == 1:
            (folder / ("bc-%05d.html" % i)).write_text(samples.make_article_html(lines[4], lines[5:] + lines[:4]),
                                                       "utf-8")
        else:
            samples.make_docx(folder / ("bc-%05d.docx" % i), lines)


def ingest_folder(folder: Path) -> tuple[dict, float, float]:
    """Ingest and process a folder; returns the summary, wall seconds and CPU seconds of this process."""
    from archive.ingest import ingest_sources, summarise
    from archive.runner import run_until_done
    from archive.services import IngestOptions

    start, cpu_start = time.perf_counter(), time.process_time()
    results = ingest_sources([str(folder)], options=IngestOptions(channel="bench"))
    run_until_done([r.item.pk for r in results if r.item is not None], poll=0.01)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    return summarise(results).as_dict(), elapsed, cpu


def bench_born_digital(tmp: Path, n: int) -> None:
    make_corpus(tmp / "docs", n)
    summary, elapsed, cpu = ingest_folder(tmp / "docs")
    print("born-digital (txt/html/docx, %d files): %.1f docs/s end to end, one process; %.1f docs per CPU-second "
          "(%.2f ms CPU/doc); imported=%d failed=%d; load %s"
          % (n, n / elapsed, n / cpu, 1000 * cpu / n, summary["imported"], summary["failed"], _load()))


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


def bench_folder(tmp: Path, n: int) -> None:
    folder = tmp / "big"
    folder.mkdir()
    for i in range(n):
        sub = folder / ("%03d" % (i // 500))
        sub.mkdir(exist_ok=True)
        (sub / ("tu-lieu-%05d.txt" % i)).write_text("Tư liệu số %d về lịch sử xã Cam Lâm năm %d." % (i, 1945 + i % 80),
                                                   "utf-8")
    summary, elapsed, cpu = ingest_folder(folder)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    from archive.models import Item

    print("folder of %d files: %.0f s (%.1f files/s, %.0f CPU-s), seen=%d imported=%d duplicates=%d failed=%d, "
          "items in db=%d, peak RSS %.0f MB" % (n, elapsed, n / elapsed, cpu, summary["seen"], summary["imported"], summary["duplicates"],
                                summary["failed"], Item.objects.count(), peak))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--files", type=int, default=10000)
    parser.add_argument("--skip", nargs="*", default=[], choices=["docs", "ocr", "folder"])
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    setup()
    with tempfile.TemporaryDirectory() as tmp:
        if "docs" not in args.skip:
            bench_born_digital(Path(tmp), args.docs)
        if "ocr" not in args.skip:
            bench_ocr(Path(tmp))
        if "folder" not in args.skip:
            bench_folder(Path(tmp), args.files)


if __name__ == "__main__":
    main()
