"""Born-digital ingest corpora for the benchmark: varied real text (default) or the old look-alike form.

``varied``: each document is a heading block (agency, number, place and date, type) and 1–8 passages of real
Vietnamese text drawn from ``vntext/tests/data/real`` (quoted public pages), the seed pages and the
passages of ``search/eval/corpus.jsonl``, so lengths run from a few hundred to several thousand characters.
A known share are planted duplicates: ``EXACT_SHARE`` byte-identical copies of an earlier file (the ingest
counts them as duplicates) and ``NEAR_SHARE`` near-copies of an earlier document (a few words changed, a new
number and date, possibly another format), which the deduplicate step should pair with their source.

``lookalike``: the form the benchmark used before: one report repeated with a different number and date.
Every document then finds dozens of near-duplicate candidates (the worst case for the deduplicate step).

Deterministic for a seed. TXT, HTML and DOCX in turn.
"""

from __future__ import annotations

import json
import random
import shutil
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = Path("/work/shared/seeds")
EXACT_SHARE = 0.05
NEAR_SHARE = 0.10

AGENCIES = ["ĐẢNG ỦY XÃ CAM LÂM", "TỈNH ỦY KHÁNH HÒA", "HUYỆN ỦY DIÊN KHÁNH", "BAN TUYÊN GIÁO TỈNH ỦY",
            "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "THÀNH ỦY NHA TRANG", "ĐẢNG ỦY KHỐI CƠ QUAN TỈNH",
            "HỘI CỰU CHIẾN BINH HUYỆN NINH HÒA"]
TYPES = [("BÁO CÁO", "BC"), ("KẾ HOẠCH", "KH"), ("THÔNG BÁO", "TB"), ("NGHỊ QUYẾT", "NQ"), ("QUYẾT ĐỊNH", "QĐ"),
         ("CÔNG VĂN", "CV"), ("TỜ TRÌNH", "TTr")]
PLACES = ["Cam Lâm", "Nha Trang", "Diên Khánh", "Ninh Hòa", "Đà Lạt", "Bảo Lộc", "Cam Ranh", "Vạn Ninh"]


@dataclass
class Corpus:
    files: list[Path] = field(default_factory=list)
    exact: dict[Path, Path] = field(default_factory=dict)  # copy -> its source file
    near: dict[Path, Path] = field(default_factory=dict)  # near-copy -> its source file
    by_type: dict[str, int] = field(default_factory=dict)


def real_passages() -> list[str]:
    """Passages of real text, in a fixed order (quoted public pages, seed pages, the search evaluation set)."""
    sys.path.insert(0, str(ROOT / "vntext" / "tests" / "data" / "real"))
    import refs_heldout
    import refs_real

    passages: list[str] = [text for _source, text, _labels in refs_real.PASSAGES + refs_heldout.PASSAGES]
    if SEEDS.is_dir():
        for path in sorted(SEEDS.glob("*.txt")):
            paragraphs = [p for p in path.read_text("utf-8").split("\n") if len(p.split()) >= 5]
            passages.extend("\n".join(paragraphs[i:i + 3]) for i in range(0, len(paragraphs), 3))
    with open(ROOT / "search" / "eval" / "corpus.jsonl", encoding="utf-8") as stream:
        for line in stream:
            row = json.loads(line)
            passages.append(row["text"])
    return [unicodedata.normalize("NFC", p) for p in passages if p.strip()]


def _write(path: Path, lines: list[str]) -> None:
    from archive import samples

    suffix = path.suffix
    if suffix == ".txt":
        path.write_text("\n".join(lines), "utf-8")
    elif suffix == ".html":
        path.write_text(samples.make_article_html(lines[4] if len(lines) > 4 else lines[0], lines), "utf-8")
    else:
        samples.make_docx(path, lines)


def _heading(rng: random.Random, i: int) -> list[str]:
    agency = rng.choice(AGENCIES)
    type_name, code = rng.choice(TYPES)
    place = rng.choice(PLACES)
    year = rng.randint(1975, 2025)
    return [agency, "Số %d-%s/%s" % (i + 1, code, "TU" if "ỦY" in agency else "UBND"),
            "%s, ngày %d tháng %d năm %d" % (place, rng.randint(1, 28), rng.randint(1, 12), year), type_name]


def _mutate(rng: random.Random, lines: list[str]) -> list[str]:
    """A near-copy: about one word in 40 dropped or swapped with its neighbour, one sentence added."""
    out = []
    for line in lines:
        words = line.split()
        for _ in range(max(1, len(words) // 40)):
            if len(words) > 3:
                j = rng.randrange(len(words) - 1)
                if rng.random() < 0.5:
                    words[j], words[j + 1] = words[j + 1], words[j]
                else:
                    del words[j]
        out.append(" ".join(words))
    out.append("Bản sao gửi các đơn vị để biết và thực hiện.")
    return out


def make_varied(folder: Path, n: int, seed: int = 20) -> Corpus:
    rng = random.Random(seed)
    passages = real_passages()
    rng.shuffle(passages)
    folder.mkdir(parents=True, exist_ok=True)
    corpus = Corpus()
    texts: list[tuple[Path, list[str]]] = []  # unique documents so far, for near-copies
    suffixes = [".txt", ".html", ".docx"]
    cursor = 0
    for i in range(n):
        suffix = suffixes[i % 3]
        path = folder / ("tl-%05d%s" % (i, suffix))
        roll = rng.random()
        if texts and roll < EXACT_SHARE:
            same = [p for p, _lines in texts if p.suffix == suffix] or [texts[0][0]]
            source = rng.choice(same)
            path = path.with_suffix(source.suffix)
            shutil.copyfile(source, path)
            corpus.exact[path] = source
        elif texts and roll < EXACT_SHARE + NEAR_SHARE:
            source, lines = rng.choice(texts)
            _write(path, _heading(rng, i) + _mutate(rng, lines[4:]))
            corpus.near[path] = source
        else:
            k = rng.choice([1, 1, 2, 2, 3, 4, 6, 8])
            body = [p for j in range(k) for p in passages[(cursor + j) % len(passages)].split("\n")]
            cursor += k
            lines = _heading(rng, i) + body
            _write(path, lines)
            texts.append((path, lines))
        corpus.files.append(path)
        corpus.by_type[path.suffix[1:]] = corpus.by_type.get(path.suffix[1:], 0) + 1
    return corpus


def make_lookalike(folder: Path, n: int) -> Corpus:
    """The old benchmark corpus: one report form repeated (every document near-duplicates dozens of others)."""
    folder.mkdir(parents=True, exist_ok=True)
    corpus = Corpus()
    for i in range(n):
        lines = ["ĐẢNG ỦY XÃ CAM LÂM", "Số %d-BC/ĐU" % (i + 1), "Cam Lâm, ngày %d tháng %d năm %d" % (
            1 + i % 28, 1 + i % 12, 1990 + i % 30), "BÁO CÁO", "tình hình thực hiện Chỉ thị số 20-CT/TW quý %d" % (
            1 + i % 4), "", ("Thực hiện Kế hoạch số 98-KH/TU của Ban Thường vụ Tỉnh ủy, Đảng ủy xã báo cáo kết quả "
                             "sưu tầm %d tư liệu lịch sử Đảng bộ và nhân dân xã. " % (i * 7)) * 4]
        suffix = [".txt", ".html", ".docx"][i % 3]
        path = folder / ("bc-%05d%s" % (i, suffix))
        if suffix == ".html":
            from archive import samples

            path.write_text(samples.make_article_html(lines[4], lines[5:] + lines[:4]), "utf-8")
        else:
            _write(path, lines)
        corpus.files.append(path)
        corpus.by_type[suffix[1:]] = corpus.by_type.get(suffix[1:], 0) + 1
    return corpus
