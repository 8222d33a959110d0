"""Quality of vntext on real material: references in hand-labelled passages, decode of legacy files.

Used by ``bench/vntext/run.py`` (prints the figures) and by ``vntext/tests/test_real.py`` (asserts floors).
The passages and labels are in ``vntext/tests/data/real/refs_real.py`` (labels written before running the parser).
"""

from __future__ import annotations

import importlib.util
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from vntext import find_refs, fold  # noqa: E402
from vntext.normalize import unify_tones  # noqa: E402

DATA = ROOT / "vntext" / "tests" / "data" / "real"


def load_passages() -> list[tuple[str, str, list[tuple[str | None, str, str, str | None]]]]:
    spec = importlib.util.spec_from_file_location("refs_real", DATA / "refs_real.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.PASSAGES  # type: ignore[no-any-return]


def symbol_key(symbol: str) -> str:
    """Symbols compare after folding and dropping separators; TƯ is a spelling of TW."""
    s = re.sub(r"T[ƯỨ](?![A-Za-zÀ-ỹĐđ])", "TW", symbol)
    return re.sub(r"[^0-9a-z]", "", fold(s))


def _key(symbol: str | None, number: str) -> tuple[str, str]:
    return ("sym", symbol_key(symbol)) if symbol else ("num", number.lstrip("0") or "0")


@dataclass
class RefScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    date_ok: int = 0
    date_n: int = 0
    type_ok: int = 0
    type_n: int = 0
    number_only: int = 0
    number_only_found: int = 0
    sources: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def date_accuracy(self) -> float:
        return self.date_ok / self.date_n if self.date_n else 1.0

    @property
    def type_accuracy(self) -> float:
        return self.type_ok / self.type_n if self.type_n else 1.0


def _same_type(a: str | None, b: str) -> bool:
    return a is not None and unify_tones(a).lower() == unify_tones(b).lower()


def score_refs(finder: Any = find_refs) -> RefScore:
    sc = RefScore()
    passages = load_passages()
    sc.sources = len({(p[0].split("/")[2] if p[0].startswith("http") else p[0]) for p in passages})
    for source, text, labels in passages:
        found = list(finder(text))
        used = [False] * len(found)
        for symbol, number, tname, date in labels:
            if symbol is None:
                sc.number_only += 1
            want = _key(symbol, number)
            hit = next(
                (i for i, r in enumerate(found) if not used[i] and _key(r.symbol, r.number) == want), None
            )
            if hit is None:
                sc.fn += 1
                sc.misses.append(f"{symbol or number!s:<22} {source[:60]}")
                continue
            used[hit] = True
            sc.tp += 1
            if symbol is None:
                sc.number_only_found += 1
            ref = found[hit]
            sc.date_n += 1
            if ref.date == date:
                sc.date_ok += 1
            else:
                sc.wrong.append(f"date {symbol or number}: {ref.date} != {date}")
            if tname != "?":
                sc.type_n += 1
                if _same_type(ref.type_name, tname):
                    sc.type_ok += 1
                else:
                    sc.wrong.append(f"type {symbol or number}: {ref.type_name} != {tname}")
        for i, r in enumerate(found):
            if not used[i]:
                sc.fp += 1
                sc.extras.append(f"{r.symbol or r.number!s:<22} {source[:60]}")
    return sc


def print_refs(sc: RefScore, verbose: bool = False) -> None:
    print(
        f"refs on real text ({sc.tp + sc.fn} labelled refs, {sc.sources} sources): "
        f"P={sc.precision:.3f} R={sc.recall:.3f} F1={sc.f1:.3f}  date={sc.date_accuracy:.3f} "
        f"type={sc.type_accuracy:.3f}  number-only {sc.number_only_found}/{sc.number_only}"
    )
    if verbose:
        for line in sc.misses:
            print("  miss ", line)
        for line in sc.extras:
            print("  extra", line)
        for line in sc.wrong:
            print("  wrong", line)


if __name__ == "__main__":
    print_refs(score_refs(), verbose="-v" in sys.argv)
