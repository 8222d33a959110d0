"""Where the CPU of one page goes through ingest: plain tesseract, then ``sulieu ingest`` under cProfile.

    .venv/bin/python bench/ingest/ocr_profile.py PAGE [PAGE…] [--top 25] [--repeat 1]

For each page file (PNG/JPEG, or a PDF page: plain tesseract then reads the ``.jpg`` beside it, as
:mod:`ocr_quality` does): the CPU seconds of plain ``tesseract IMAGE - -l vie``, and of the ingest of the file
on a fresh SQLite data directory split into this process and its children (tesseract), then the functions of
this process that cost the most (cProfile, own time and cumulative).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from ocr_quality import _children_cpu, ingest_file, plain_tesseract, setup, warm_up  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pages", nargs="+", type=Path)
    parser.add_argument("--top", type=int, default=25, help="how many functions to list")
    parser.add_argument("--repeat", type=int, default=1, help="ingest each page this many times (fresh copies)")
    args = parser.parse_args()
    missing = [str(p) for p in args.pages if not p.is_file()]
    if missing:
        print("no such page file: %s" % ", ".join(missing), file=sys.stderr)
        sys.exit(2)
    setup()
    with tempfile.TemporaryDirectory(prefix="sulieu-ocr-profile-") as tmp:
        warm_up(Path(tmp))
        for path in args.pages:
            image = path.with_name(path.name + ".jpg") if path.suffix == ".pdf" else path
            for attempt in range(args.repeat):
                _text, _wall, plain_cpu = plain_tesseract(image)
                # the same bytes under another name each time: ingest would otherwise see a duplicate
                copy = Path(tmp) / ("%d-%s" % (attempt, path.name))
                copy.write_bytes(path.read_bytes())
                profile = cProfile.Profile()
                process, children, wall = time.process_time(), _children_cpu(), time.perf_counter()
                profile.enable()
                _text, _w, _cpu, status = ingest_file(copy)
                profile.disable()
                process = time.process_time() - process
                children = _children_cpu() - children
                wall = time.perf_counter() - wall
                print("\n%s (%s): plain tesseract %.2f s CPU; ingest %.2f s CPU = process %.2f + children %.2f "
                      "(%.2f× plain), wall %.2f s" % (path.name, status, plain_cpu, process + children, process,
                                                      children, (process + children) / plain_cpu, wall))
                for order in ("tottime", "cumulative"):
                    out = io.StringIO()
                    pstats.Stats(profile, stream=out).strip_dirs().sort_stats(order).print_stats(args.top)
                    lines = out.getvalue().splitlines()
                    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
                    print("-- by %s" % order)
                    print("\n".join(lines[start:start + args.top + 1]))


if __name__ == "__main__":
    main()
