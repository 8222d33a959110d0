"""Build ``corpus.jsonl`` of the real-question evaluation from the collected pages.

    .venv/bin/python search/eval/real/build.py

Sources (all real public Vietnamese text, each passage keeps its page's address in ``source``):

* ``pages/*.txt``: pages found with a public-web search and kept paragraph by paragraph
  (``@@ URL | title`` starts a page, each following non-empty line is one paragraph);
* ``vntext/tests/data/real/refs_real.py`` and ``refs_heldout.py``: the real passages (with addresses) the
  document-reference parser is measured on;
* ``/work/shared/seeds``-style seed pages copied in ``seeds/`` (first line: the title).

One corpus row per paragraph, as the archive indexes a page: ``{"id", "title", "text", "source"}``.  Ids are
stable as long as files are only appended to: ``p<page>-<n>`` for pages (page number in file order),
``v<n>-<m>`` for the vntext passages, ``s<n>-<m>`` for seeds.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
MIN_WORDS = 6


def read_pages() -> list[tuple[str, str, list[str]]]:
    pages: list[tuple[str, str, list[str]]] = []
    for path in sorted((HERE / "pages").glob("*.txt")):
        for line in path.read_text("utf-8").splitlines():
            line = line.strip()
            if line.startswith("@@ "):
                url, _, title = line[3:].partition(" | ")
                pages.append((url.strip(), title.strip(), []))
            elif line:
                if not pages:
                    raise SystemExit(f"{path}: text before the first '@@ URL | title' line")
                pages[-1][2].append(line)
    return pages


def vntext_passages() -> list[tuple[str, str]]:
    sys.path.insert(0, str(ROOT / "vntext" / "tests" / "data" / "real"))
    import refs_heldout
    import refs_real

    return [(source, text) for source, text, _labels in refs_real.PASSAGES + refs_heldout.PASSAGES]


def rows() -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for n, (url, title, paras) in enumerate(read_pages(), 1):
        for m, para in enumerate(paras, 1):
            if len(para.split()) >= MIN_WORDS:
                out.append({"id": f"p{n:03d}-{m:02d}", "title": title, "text": para, "source": url})
    for n, (url, text) in enumerate(vntext_passages(), 1):
        paras = [p.strip() for p in text.split("\n") if len(p.split()) >= MIN_WORDS]
        for m, para in enumerate(paras, 1):
            out.append({"id": f"v{n:03d}-{m:02d}", "title": "", "text": para, "source": url})
    for n, path in enumerate(sorted((HERE / "seeds").glob("*.txt")), 1):
        lines = [x.strip() for x in path.read_text("utf-8").splitlines() if x.strip()]
        # the first line is the page title unless it is a whole paragraph
        title, url = (lines[0], "") if len(lines[0].split()) <= 30 else ("", "")
        body = []
        for x in lines[1 if title else 0:]:
            if x.startswith("source: "):
                url = x[len("source: "):]
            elif len(x.split()) >= MIN_WORDS and x != title:
                body.append(x)
        for m, para in enumerate(body, 1):
            out.append({"id": f"s{n:02d}-{m:02d}", "title": title, "text": para, "source": url})
    return out


def main() -> None:
    corpus = rows()
    with open(HERE / "corpus.jsonl", "w", encoding="utf-8") as f:
        for row in corpus:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    sources = sorted({r["source"] for r in corpus if r["source"]})
    (HERE / "SOURCES.txt").write_text("\n".join(sources) + "\n", "utf-8")
    print(f"{len(corpus)} passages from {len(sources)} source pages")


if __name__ == "__main__":
    main()
