"""Build ``queries.jsonl`` from the hand-written ``questions.tsv`` (no ranking involved).

    .venv/bin/python search/eval/real/build_queries.py

Each line of ``questions.tsv`` is a question as a person types it into an archive's search box, then (after a
tab) the exact text of the passage(s) that answer it, separated by `` || ``.  The relevant ids are every corpus
passage that contains one of those snippets (the same fact reprinted on several pages is relevant on each).
A snippet that matches no passage is an error.  Questions alternate between the ``dev`` split (tuned on) and
the ``test`` split (held out: run once, at the end).
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def main() -> int:
    corpus = [json.loads(line) for line in (HERE / "corpus.jsonl").read_text("utf-8").splitlines() if line.strip()]
    texts = [(row["id"], nfc(row["text"])) for row in corpus]
    out: list[dict[str, Any]] = []
    errors: list[str] = []
    lines = [x for x in (HERE / "questions.tsv").read_text("utf-8").splitlines() if x.strip() and not x.startswith("#")]
    for n, line in enumerate(lines):
        query, _, answers = line.partition("\t")
        snippets = [nfc(s.strip()) for s in answers.split(" || ") if s.strip()]
        relevant: list[str] = []
        for snippet in snippets:
            hits = [pid for pid, text in texts if snippet in text]
            if not hits:
                errors.append(f"line {n + 2}: {snippet!r} is in no passage")
            relevant.extend(h for h in hits if h not in relevant)
        query = nfc(query.strip())
        folded = "".join(c for c in unicodedata.normalize("NFD", query) if unicodedata.category(c) != "Mn")
        accented = folded.replace("đ", "d").replace("Đ", "D") != query
        out.append({"qid": f"r{n:03d}", "query": query, "relevant": relevant, "split": "dev" if n % 2 == 0 else "test",
                    "diacritics": accented})
    if errors:
        print("\n".join(errors), file=sys.stderr)
        return 2
    with open(HERE / "queries.jsonl", "w", encoding="utf-8") as f:
        for row in out:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    for split in ("dev", "test"):
        rows = [r for r in out if r["split"] == split]
        with open(HERE / f"queries-{split}.jsonl", "w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
    plain = sum(1 for r in out if not r["diacritics"])
    multi = sum(1 for r in out if len(r["relevant"]) > 1)
    print(f"{len(out)} questions ({plain} without diacritics, {multi} with several relevant passages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
