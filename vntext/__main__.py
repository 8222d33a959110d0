"""Command line: ``python -m vntext {refs,dates,places,bodies,decode,normalize,fold}``.

``refs``/``dates``/``places``/``bodies`` read JSON lines ``{"id": ..., "text": ...}`` on stdin and write one JSON
line per input line: ``{"id": ..., "refs": [...]}`` (or ``dates``/``places``/``bodies``).  A bad line gives
``{"id": ..., "error": "..."}`` and processing continues.  ``decode FILE…`` prints
``{"path", "encoding", "confidence", "text"}`` per file.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from typing import Any


def _extractor(kind: str) -> Callable[[str], list[Any]]:
    if kind == "refs":
        from vntext.refs import find_refs

        return find_refs
    if kind == "dates":
        from vntext.dates import find_dates

        return find_dates
    from vntext.places import find_bodies, find_places

    return find_places if kind == "places" else find_bodies


def _jsonl(kind: str, lines: Iterable[str], out: Any) -> int:
    func = _extractor(kind)
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        ident: Any = None
        try:
            obj = json.loads(line)
            if isinstance(obj, dict):
                ident = obj.get("id")
                text = obj.get("text", "")
            else:
                text = obj
            if text is None:
                text = ""
            if not isinstance(text, str):
                text = str(text)
            items = [x.to_dict() for x in func(text)]
            result: dict[str, Any] = {"id": ident, kind: items}
        except Exception as exc:  # one bad line must not stop the stream
            result = {"id": ident, "error": f"{type(exc).__name__}: {exc}"}
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
    return 0


def _decode(paths: list[str], out: Any) -> int:
    from vntext.legacy import decode_file

    status = 0
    for path in paths:
        try:
            dec = decode_file(path)
            rec: dict[str, Any] = {
                "path": path,
                "encoding": dec.encoding,
                "confidence": round(dec.confidence, 3),
                "text": dec.text,
            }
        except Exception as exc:
            rec = {"path": path, "encoding": None, "confidence": 0.0, "text": "", "error": f"{type(exc).__name__}: {exc}"}
            status = 1
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m vntext", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    for kind in ("refs", "dates", "places", "bodies"):
        sub.add_parser(kind, help=f"JSON lines {{id, text}} on stdin -> {{id, {kind}}}")
    dec = sub.add_parser("decode", help="detect the encoding of files and print NFC Unicode as JSON lines")
    dec.add_argument("files", nargs="+")
    for name in ("normalize", "fold"):
        sub.add_parser(name, help=f"{name} stdin to stdout")
    args = parser.parse_args(argv)
    # Always write UTF-8 whatever the locale says.
    out = open(sys.stdout.fileno(), "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    stdin = open(sys.stdin.fileno(), encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
    if args.cmd in ("refs", "dates", "places", "bodies"):
        return _jsonl(args.cmd, stdin, out)
    if args.cmd == "decode":
        return _decode(args.files, out)
    from vntext.normalize import fold, normalize

    func = normalize if args.cmd == "normalize" else fold
    for line in stdin:
        out.write(func(line))
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
