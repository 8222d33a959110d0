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


def load_passages(name: str = "refs_real") -> list[tuple[str, str, list[tuple[str | None, str, str, str | None]]]]:
    spec = importlib.util.spec_from_file_location(name, DATA / f"{name}.py")
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
    name: str = "refs_real"
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


def score_refs(finder: Any = find_refs, name: str = "refs_real") -> RefScore:
    sc = RefScore()
    sc.name = name
    passages = load_passages(name)
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
    what = "held-out real text" if sc.name == "refs_heldout" else "real text (development set)"
    print(
        f"refs on {what} ({sc.tp + sc.fn} labelled refs, {sc.sources} sources): "
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




# --- decode ---------------------------------------------------------------------------------------------------

_PUNCT = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "...", "\u00a0": " "})


def _sanitize(text: str) -> str:
    """The passage with only ASCII and Vietnamese letters (what every legacy code page can hold)."""
    import unicodedata

    from vntext.legacy import UNI_TO_VISCII

    text = unicodedata.normalize("NFC", text.translate(_PUNCT))
    return "".join(c if c.isascii() or c in UNI_TO_VISCII else "?" for c in text)


def _vn3_expected(text: str) -> str:
    from vntext.legacy import UNI_TO_TCVN3

    return "".join(c if c.isascii() or c in UNI_TO_TCVN3 else c.lower() for c in text)


def _tool(cmd: list[str], data: bytes) -> bytes | None:
    import subprocess

    try:
        r = subprocess.run(cmd, input=data, capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return r.stdout if r.returncode == 0 else None


def _real_english() -> list[tuple[str, bytes]]:
    """Real English and French text from the machine (licence texts, French apt/adduser messages)."""
    import gettext

    out: list[tuple[str, bytes]] = []
    for name in ("Apache-2.0", "BSD", "GPL-3"):
        p = Path("/usr/share/common-licenses") / name
        if p.exists():
            out.append((f"english/{name}", p.read_bytes()[:6000]))
    for dom in ("apt", "adduser", "Linux-PAM"):
        p = Path("/usr/share/locale/fr/LC_MESSAGES") / f"{dom}.mo"
        if not p.exists():
            continue
        with p.open("rb") as fh:
            cat = gettext.GNUTranslations(fh)
        msgs = [v for k, v in cat._catalog.items() if isinstance(k, str) and k and not v.isascii()][:80]  # type: ignore[attr-defined]
        fr = "\n".join(msgs)
        try:
            out.append((f"french-cp1252/{dom}", fr.encode("cp1252")))
        except UnicodeEncodeError:
            out.append((f"french-cp1252/{dom}", fr.encode("cp1252", errors="replace")))
        out.append((f"french-utf8/{dom}", fr.encode("utf-8")))
    return out


@dataclass
class DecodeScore:
    files: int = 0
    exact: int = 0
    chars: int = 0
    wrong_chars: int = 0
    unicode_files: int = 0
    unicode_changed: int = 0
    by_class: dict[str, list[int]] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    @property
    def exact_rate(self) -> float:
        return self.exact / self.files if self.files else 1.0

    @property
    def char_error(self) -> float:
        return self.wrong_chars / self.chars if self.chars else 0.0


def _char_errors(got: str, want: str) -> int:
    import difflib

    if got == want:
        return 0
    sm = difflib.SequenceMatcher(None, got, want, autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in sm.get_opcodes() if tag != "equal")


def build_decode_cases() -> list[tuple[str, str, bytes, str]]:
    """(class, name, file bytes, expected text).  Legacy files from the real passages, by vntext's own tables and by
    independent ones (glibc iconv for TCVN 5712 VN1 and VISCII, GNU recode for VNI and VPS)."""
    import unicodedata

    from vntext.legacy import encode_legacy

    cases: list[tuple[str, str, bytes, str]] = []
    passages = load_passages()
    texts = [_sanitize(t) for _s, t, _l in passages]
    for i, text in enumerate(texts):
        name = f"p{i:02d}"
        cases.append(("tcvn3 (vntext table)", name, encode_legacy(text, "tcvn3"), _vn3_expected(text)))
        cases.append(("vni (vntext table)", name, encode_legacy(text, "vni"), text))
        cases.append(("viscii (vntext table)", name, encode_legacy(text, "viscii"), text))
        cases.append(("vps (vntext table)", name, encode_legacy(text, "vps"), text))
        cases.append(("cp1258 (vntext table)", name, encode_legacy(text, "cp1258"), text))
        for cls, cmd in (
            ("tcvn5712-1 (iconv)", ["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"]),
            ("viscii (iconv)", ["iconv", "-f", "UTF-8", "-t", "VISCII"]),
            ("vni (recode)", ["recode", "-f", "UTF-8..VNI"]),
            ("vps (recode)", ["recode", "-f", "UTF-8..VPS"]),
        ):
            data = _tool(cmd, text.encode())
            if data is not None:
                cases.append((cls, name, data, text))
        raw = unicodedata.normalize("NFC", passages[i][1])
        cases.append(("unicode utf-8 (as published)", name, raw.encode(), raw))
        cases.append(("unicode utf-8 (NFD)", name, unicodedata.normalize("NFD", raw).encode(), raw))
    # UTF-8 files with a legacy paragraph pasted in: raw bytes, or the same bytes already seen as cp1252.
    for i in range(0, len(texts) - 2, 3):
        a, b, c = texts[i], texts[i + 1], texts[i + 2]
        for enc in ("tcvn3", "vni"):
            leg = encode_legacy(b, enc)
            want_b = _vn3_expected(b) if enc == "tcvn3" else b
            data = a.encode() + b"\n" + leg + b"\n" + c.encode()
            cases.append((f"utf-8 + raw {enc} lines", f"p{i:02d}", data, f"{a}\n{want_b}\n{c}"))
            moj = a + "\n" + leg.decode("cp1252", errors="replace") + "\n" + c
            if "\ufffd" not in moj:
                cases.append((f"utf-8 + {enc} mojibake lines", f"p{i:02d}", moj.encode(), f"{a}\n{want_b}\n{c}"))
    # Legacy-font HTML: .VnTime body, .VnTimeH headings (toned capitals in their own .VnTimeH run), title without
    # font, charset=windows-1252; VNI-Times via CSS; a VISCII page without fonts.
    for i in range(0, len(texts) - 1, 4):
        title, body = texts[i][:60].replace("\n", " "), texts[i + 1]
        head = "LỊCH SỬ ĐẢNG BỘ VÀ NHÂN DÂN XÃ"
        t3 = lambda x: encode_legacy(x, "tcvn3").decode("cp1252", errors="replace")  # noqa: E731
        esc = lambda x: x.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")  # noqa: E731
        runs = "".join(
            f'<font face=".VnTimeH">{esc(t3(ch.lower()))}</font>' if not ch.isascii() and ch.lower() != ch else
            f'<font face=".VnTime">{esc(t3(ch))}</font>' for ch in "Ồng Ấp"
        )
        html = (
            '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
            f"<title>{esc(t3(title.lower()))}</title></head><body>"
            f'<p><font face=".VnTimeH">{esc(t3(head.lower()))}</font></p>{runs}'
            f'<p><font face=".VnTime">{esc(t3(body))}</font></p></body></html>'
        )
        want = (
            '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
            f"<title>{esc(title.lower())}</title></head><body>"
            f'<p><font face=".VnTimeH">{esc(head)}</font></p>'
            + "".join(f'<font face=".VnTime{"H" if not ch.isascii() and ch.lower() != ch else ""}">{ch}</font>'
                      for ch in "Ồng Ấp")
            + f'<p><font face=".VnTime">{esc(_vn3_expected(body))}</font></p></body></html>'
        )
        if "\ufffd" not in html:
            cases.append(("html .VnTime/.VnTimeH", f"p{i:02d}", html.encode("cp1252"), want))
        vni = lambda x: encode_legacy(x, "vni").decode("cp1252", errors="replace")  # noqa: E731
        html = (f'<html><head><style>.v {{font-family: "VNI-Times"}}</style><title>{esc(vni(title))}</title></head>'
                f'<body><p class="v">{esc(vni(body))}</p></body></html>')
        want = (f'<html><head><style>.v {{font-family: "VNI-Times"}}</style><title>{esc(title)}</title></head>'
                f'<body><p class="v">{esc(body)}</p></body></html>')
        if "\ufffd" not in html:
            cases.append(("html VNI-Times", f"p{i:02d}", html.encode("cp1252"), want))
        page = f"<html><head><title>{esc(title)}</title></head><body><p>{esc(body)}</p></body></html>"
        cases.append(("html viscii without fonts", f"p{i:02d}", encode_legacy(page, "viscii"), page))
    for name, data in _real_english():
        if name.startswith("french-cp1252"):
            cases.append(("western cp1252 (French)", name, data, data.decode("cp1252")))
        elif name.startswith("french-utf8"):
            cases.append(("unicode utf-8 (French)", name, data, data.decode("utf-8")))
        else:
            cases.append(("ascii (English)", name, data, data.decode("ascii", errors="replace")))
    return cases


def score_decode() -> DecodeScore:
    import tempfile
    import unicodedata

    from vntext.legacy import decode_file

    sc = DecodeScore()
    with tempfile.TemporaryDirectory() as tmp:
        for cls, name, data, want in build_decode_cases():
            suffix = ".html" if cls.startswith("html") else ".txt"
            path = Path(tmp) / f"{abs(hash((cls, name)))}{suffix}"
            path.write_bytes(data)
            got = decode_file(path).text
            want = unicodedata.normalize("NFC", want)
            ok = got == want
            sc.files += 1
            sc.exact += ok
            sc.chars += len(want)
            sc.wrong_chars += _char_errors(got, want)
            row = sc.by_class.setdefault(cls, [0, 0])
            row[0] += 1
            row[1] += ok
            if cls.startswith(("unicode", "ascii", "western")):
                sc.unicode_files += 1
                sc.unicode_changed += not ok
            if not ok:
                sc.misses.append(f"{cls} {name}")
    return sc


def print_decode(sc: DecodeScore, verbose: bool = False) -> None:
    print(
        f"decode of {sc.files} files built from the real passages: exact {sc.exact_rate:.3f} "
        f"({sc.exact}/{sc.files}), characters wrong {sc.char_error * 100:.2f} %, "
        f"Unicode/ASCII/Western files changed {sc.unicode_changed} of {sc.unicode_files}"
    )
    for cls, (n, ok) in sorted(sc.by_class.items()):
        print(f"  {cls:<34} {ok:>3}/{n:<3} exact")
    if verbose:
        for m in sc.misses:
            print("  miss", m)


if __name__ == "__main__":
    print_refs(score_refs(), verbose="-v" in sys.argv)
    print_refs(score_refs(name="refs_heldout"), verbose="-v" in sys.argv)
    print_decode(score_decode(), verbose="-v" in sys.argv)
