"""Throughput of vntext on a few MB of generated official-style Vietnamese text.

Run: .venv/bin/python bench/vntext/run.py [--mb 4] [--huge]
Prints first the quality on real material (hand-labelled references from public pages: precision, recall, F1,
date and type accuracy; legacy files built from real text: decode exactness), then MB/s (UTF-8 bytes of input per
second) for normalise, fold, normalise+fold, tokens, refs and dates.
--huge also feeds a 100 MB string through normalize/fold/find_refs to show bad input does not blow up.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from vntext import casefold, find_dates, find_refs, fold, normalize, tokens  # noqa: E402
from vntext.normalize import unify_tones  # noqa: E402

SENTENCES = [
    "Ngày {d}/{m}/{y}, Ban Thường vụ Tỉnh ủy Khánh Hòa ban hành Kế hoạch số {n}-KH/TU về sơ kết 05 năm thực hiện "
    "Chỉ thị số 20-CT/TW, ngày 18/01/2018 của Ban Bí thư Trung ương Đảng.",
    "Mục đích của Kế hoạch nhằm đánh giá những kết quả đạt được, khó khăn, hạn chế, nguyên nhân và bài học kinh "
    "nghiệm trong quá trình triển khai thực hiện.",
    "Căn cứ Nghị định số {n}/{y}/NĐ-CP ngày {d} tháng {m} năm {y} của Chính phủ về công tác văn thư; Quyết định số "
    "{n}/QĐ-UBND của Ủy ban nhân dân tỉnh.",
    "Tiếp tục quán triệt, nâng cao hơn nữa nhận thức về vị trí, tầm quan trọng của công tác nghiên cứu, biên soạn, "
    "tuyên truyền, giáo dục lịch sử Đảng, xem đây là một nhiệm vụ chính trị đặc biệt, trọng tâm, cấp bách và lâu dài.",
    "Cách mạng Tháng Tám năm 1945 thành công; mùa Xuân năm 1975 giải phóng hoàn toàn miền Nam, từ năm 1954 đến "
    "năm 1975 quân và dân ta kiên cường chiến đấu.",
    "Đảng bộ tỉnh ra đời ngày 24-2-1930, năm Canh Ngọ; đêm 19-12-1946 toàn quốc kháng chiến.",
    "Điện thoại: 0258.3822.{n}; Lượt xem: {n}; Trong tuần: 26.889; COVID-19, F0/F1, hoạt động 24/7.",
    "Đẩy mạnh ứng dụng công nghệ thông tin, các nền tảng truyền thông hiện đại; số hóa dữ liệu trong quản lý, lưu "
    "trữ, khai thác các tư liệu, ấn phẩm lịch sử.",
]


def make_text(mb: float, seed: int = 1) -> str:
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    while size < mb * 1_000_000:
        s = rng.choice(SENTENCES).format(
            d=rng.randint(1, 28), m=rng.randint(1, 12), y=rng.randint(1945, 2025), n=rng.randint(1, 3000)
        )
        parts.append(s)
        size += len(s.encode("utf-8")) + 1
    return "\n".join(parts)


def bench(name: str, func, text: str, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    nbytes = len(text.encode("utf-8"))
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        func(text)
        best = min(best, time.perf_counter() - t0)
    rate = nbytes / best / 1e6
    print(f"{name:<28} {nbytes / 1e6:7.1f} MB  {best * 1000:8.1f} ms  {rate:8.1f} MB/s")
    return rate


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=4.0)
    ap.add_argument("--huge", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every miss of the quality checks")
    args = ap.parse_args()
    from quality import print_decode, print_refs, score_decode, score_refs  # bench/vntext/quality.py

    print_refs(score_refs(), verbose=args.verbose)
    print_refs(score_refs(name="refs_heldout"), verbose=args.verbose)
    print_decode(score_decode(), verbose=args.verbose)
    text = make_text(args.mb)
    old_style = text.replace("hòa", "hoà").replace("ủy", "uỷ").replace("Hòa", "Hoà")
    print(f"vntext benchmark on {len(text.encode()) / 1e6:.1f} MB of generated official text (Python {sys.version.split()[0]})")
    bench("normalize (new style, NFC)", normalize, text)
    bench("normalize (old style hoà/uỷ)", normalize, old_style)  # NFC only: the spelling is kept
    bench("unify_tones (old style, keys)", unify_tones, old_style)
    bench("casefold (old style, keys)", casefold, old_style)
    bench("fold", fold, text)
    bench("normalize+fold", lambda t: fold(normalize(t)), text)
    bench("tokens", tokens, text, repeat=1)
    n = len(find_refs(text))
    bench(f"find_refs ({n} refs)", find_refs, text, repeat=1)
    n = len(find_dates(text))
    bench(f"find_dates ({n} dates)", find_dates, text, repeat=1)
    if args.huge:
        huge = text * max(1, int(100 / args.mb))
        bench("normalize+fold 100 MB", lambda t: fold(normalize(t)), huge, repeat=1)
        bench("find_refs 100 MB", find_refs, huge, repeat=1)


if __name__ == "__main__":
    main()
