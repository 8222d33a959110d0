"""The heading and the signature of a Vietnamese official document, read from its plain text.

- :func:`own_ref`: the document's own reference, the "Số: 12/QĐ-UBND" of its header (not the documents it
  cites);
- :func:`title_from_text`: its type heading and the trích yếu lines under it ("Quyết định về việc …");
- :func:`signer`: the name under "(đã ký)" or under the signing title at the end.

Framework-free like the rest of vntext; the archive's describe step and the search index both use these.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from vntext.refs import DocRef, find_refs, symbol_spans

__all__ = ["TYPE_HEADINGS", "own_ref", "own_symbol", "signer", "title_from_text"]

# "Số:" right before a reference marks the document's own number.
NUMBER_LABEL = re.compile(r"(?:^|\W)(?:[sS]ố|SỐ)\s*:?\s*$")

TYPE_HEADINGS = ("NGHỊ QUYẾT", "QUYẾT ĐỊNH", "CHỈ THỊ", "KẾT LUẬN", "THÔNG BÁO", "THÔNG TRI", "HƯỚNG DẪN",
                 "CHƯƠNG TRÌNH", "KẾ HOẠCH", "BÁO CÁO", "BIÊN BẢN", "TỜ TRÌNH", "CÔNG VĂN", "QUY ĐỊNH", "QUY CHẾ",
                 "ĐỀ ÁN", "PHƯƠNG ÁN", "GIẤY MỜI", "CÔNG ĐIỆN")

_SUMMARY_STOPS = ("-", "Căn cứ", "Thực hiện", "Kính gửi", "I.", "1.")
_SIGNED = re.compile(r"\(\s*đã\s+ký\s*\)\s*\n+\s*([^\n]{3,60})", re.I)
_SIGNING_TITLE = re.compile(r"^(?:T/M|TM\.|KT\.|Q\.|PHÓ BÍ THƯ|BÍ THƯ|CHỦ TỊCH|PHÓ CHỦ TỊCH|TRƯỞNG BAN|GIÁM ĐỐC)")
_PERSON_NAME = re.compile(r"^[A-ZĐÀ-Ỹ][a-zà-ỹđ]+(?: [A-ZĐÀ-Ỹ][a-zà-ỹđ]+){1,4}$")


def own_ref(text: str, refs: Iterable[DocRef] | None = None, *, within: int = 600) -> DocRef | None:
    """The first reference starting in the first ``within`` characters that follows "Số:".

    ``refs``: the references of ``text`` when the caller found them already (in order of position).
    """
    found = find_refs(text[: within + 200]) if refs is None else refs
    for ref in found:
        if ref.start > within:
            break
        if ref.symbol and NUMBER_LABEL.search(text[max(0, ref.start - 12) : ref.start]):
            return ref
    return None


def own_symbol(text: str, *, within: int = 600) -> str | None:
    """The symbol of ``own_ref(text, within=within)``, found without building the references' other fields."""
    for symbol, start, _ in symbol_spans(text[: within + 200]):
        if start > within:
            break
        if NUMBER_LABEL.search(text[max(0, start - 12) : start]):
            return symbol
    return None


def title_from_text(text: str) -> tuple[str, str]:
    """(title, summary) of an official document: its type heading and the trích yếu under it; ("", "") if none."""
    lines = [line.strip() for line in text[:3000].splitlines()]
    for i, line in enumerate(lines[:40]):
        if line.upper() == line and line in TYPE_HEADINGS:
            summary_lines: list[str] = []
            for nxt in lines[i + 1 : i + 6]:
                if not nxt or nxt.startswith(_SUMMARY_STOPS):
                    if summary_lines:
                        break
                    continue
                summary_lines.append(nxt)
            summary = " ".join(summary_lines).strip(" -")
            if summary:
                return "%s %s" % (line.capitalize(), summary[0].lower() + summary[1:]), summary
    return "", ""


def signer(text: str) -> str:
    """The signer's name from the last lines of a document, or ""."""
    tail = text[-1500:]
    m = _SIGNED.search(tail)
    if m:
        return m.group(1).strip()
    lines = [line.strip() for line in tail.splitlines() if line.strip()]
    for line in lines[:-1]:
        if _SIGNING_TITLE.match(line):
            candidate = lines[-1]
            return candidate if _PERSON_NAME.match(candidate) else ""
    return ""
