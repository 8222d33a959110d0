"""Decode on files built from the real passages with vntext's tables and with independent ones (glibc iconv for
TCVN 5712 VN1 and VISCII, GNU recode for VNI and VPS), plus Unicode, English and French files (issue 12)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench" / "vntext"))
import quality  # noqa: E402  (bench/vntext/quality.py)


def test_decode_quality_on_real_text() -> None:
    sc = quality.score_decode()
    classes = set(sc.by_class)
    assert {"vps (recode)", "tcvn5712-1 (iconv)", "viscii (iconv)", "vni (recode)", "utf-8 + raw tcvn3 lines",
            "utf-8 + vni mojibake lines", "html .VnTime/.VnTimeH", "html viscii without fonts",
            "western cp1252 (French)"} <= classes
    assert sc.files >= 500
    assert sc.unicode_changed == 0, [m for m in sc.misses if m.startswith(("unicode", "ascii", "western"))]
    assert sc.exact_rate >= 0.95, sc.misses
    assert sc.char_error <= 0.005
    # the only misses allowed: recode's VNI table, which swaps the capitals Ắ and Ằ (see test_legacy)
    assert all(m.startswith("vni (recode)") for m in sc.misses), sc.misses
