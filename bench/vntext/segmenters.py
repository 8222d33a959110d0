"""Measure Vietnamese word segmenters (underthesea, pyvi) against syllable bigrams for search.

Not a dependency of sulieu: run it from a throwaway virtualenv that has the segmenters installed, e.g.
    python3 -m venv /tmp/segvenv && /tmp/segvenv/bin/pip install underthesea pyvi
    /tmp/segvenv/bin/python bench/vntext/segmenters.py
It prints throughput and, for a list of multi-syllable query terms, the share of their occurrences (found as
adjacent syllables, i.e. what a bigram index finds) that a word-token index built from each segmenter would find.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import make_text  # noqa: E402

from vntext import casefold, tokens  # noqa: E402

SEEDS = Path("/work/shared/seeds")
TERMS = [
    "lịch sử", "tuyên truyền", "giáo dục", "nghiên cứu", "biên soạn", "ban thường vụ", "tỉnh ủy", "kế hoạch",
    "chỉ thị", "nghị quyết", "ban bí thư", "trung ương", "cán bộ", "đảng viên", "chính trị", "tư tưởng",
    "hồ chí minh", "khánh hòa", "lâm đồng", "kinh phí", "xã hội hóa", "tư liệu", "ấn phẩm", "đoàn thể",
    "mặt trận tổ quốc", "thực hiện", "sơ kết", "lịch sử đảng", "công tác", "cấp ủy",
]


def corpus() -> str:
    parts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))] if SEEDS.exists() else []
    parts.append(make_text(0.3, seed=7))
    return "\n".join(parts)


def phrase_hits(syllables: list[str], term: list[str]) -> int:
    n = len(term)
    return sum(1 for i in range(len(syllables) - n + 1) if syllables[i : i + n] == term)


def main() -> None:
    text = corpus()
    mb = len(text.encode()) / 1e6
    syl = tokens(text)
    truth = {t: phrase_hits(syl, t.split()) for t in TERMS}
    total = sum(truth.values())
    t0 = time.perf_counter()
    for _ in range(3):
        tokens(text)
    print(f"corpus {mb:.2f} MB, {len(syl)} syllables, {total} occurrences of {len(TERMS)} query terms")
    print(f"{'vntext syllables+bigrams':<26} {3 * mb / (time.perf_counter() - t0):8.2f} MB/s  recall 1.000 (by construction)")
    segs = {}
    try:
        from underthesea import word_tokenize

        segs["underthesea"] = lambda s: word_tokenize(s)
    except Exception as exc:  # pragma: no cover - measurement script
        print("underthesea unavailable:", exc)
    try:
        from pyvi import ViTokenizer

        segs["pyvi"] = lambda s: ViTokenizer.tokenize(s).split()
    except Exception as exc:  # pragma: no cover
        print("pyvi unavailable:", exc)
    lines = [ln for ln in text.splitlines() if ln.strip()]
    for name, seg in segs.items():
        t0 = time.perf_counter()
        words: list[str] = []
        for ln in lines:
            words.extend(seg(ln))
        dt = time.perf_counter() - t0
        keys = [casefold(w.replace("_", " ")) for w in words]
        found = {t: sum(1 for k in keys if k == t) for t in TERMS}
        got = sum(min(found[t], truth[t]) for t in TERMS)
        # Phrase search over words: an occurrence is found when its syllables start and end on word boundaries.
        seq: list[str] = []
        bounds: set[int] = {0}
        for w in words:
            seq.extend(tokens(w.replace("_", " ")))
            bounds.add(len(seq))
        aligned = 0
        for t in TERMS:
            parts = t.split()
            n = len(parts)
            aligned += sum(
                1 for i in range(len(seq) - n + 1) if seq[i : i + n] == parts and i in bounds and i + n in bounds
            )
        broken = [t for t in TERMS if truth[t] and found[t] < truth[t]]
        symbols = sum(1 for w in words if "-" in w and "/" in w)
        print(
            f"{name:<26} {mb / dt:8.2f} MB/s  term-as-one-word recall {got / total:.3f}  "
            f"phrase-over-words recall {min(aligned, total) / total:.3f}  symbols kept whole: {symbols}"
        )
        print(f"{'':<26} terms split or merged at least once: {', '.join(broken)}")


if __name__ == "__main__":
    main()
