"""Reading question banks: CSV, XLSX and Moodle GIFT into rows with their line numbers.

Parsing only; :func:`contests.services.bank_import` validates against the database and writes. Every
problem is a :class:`RowError` with the line it came from, so one bad row never stops the others.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

OPTION_LETTERS = "abcdef"
COLUMNS = ("question", *("option_" + c for c in OPTION_LETTERS), "correct", "topic", "source_item")


@dataclass
class QuestionRow:
    line: int
    text: str
    options: list[dict]  # [{"id": "a", "text": "…", "correct": bool}]
    topic: str = ""
    period: str = ""
    key: str = ""
    source_item: int | None = None
    source_page: int | None = None
    explanation: str = ""
    multiple: bool | None = None


@dataclass
class RowError:
    line: int
    error: str


@dataclass
class Parsed:
    rows: list[QuestionRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


class BankFileError(ValueError):
    """The file as a whole cannot be read (unknown format, no header, not a spreadsheet)."""


def parse_source(value: str) -> tuple[int | None, int | None]:
    """``"12"``, ``"12:3"``, ``"12#3"``, ``"12 tr. 3"`` → (item id, page); ValueError otherwise."""
    value = (value or "").strip()
    if not value:
        return None, None
    m = re.fullmatch(r"(\d+)\s*(?:(?::|#|/|,|\s+tr\.?|\s+p\.?|\s+trang)\s*(\d+))?", value, flags=re.IGNORECASE)
    if not m:
        raise ValueError("source_item %r is not an item id (e.g. 12 or 12:3 for page 3)" % value)
    return int(m.group(1)), int(m.group(2)) if m.group(2) else None


def _row_from_mapping(line: int, raw: dict[str, str]) -> QuestionRow | RowError:
    get = lambda name: str(raw.get(name) or "").strip()  # noqa: E731
    text = get("question")
    if not text:
        return RowError(line, "empty question")
    letters = [c for c in OPTION_LETTERS if get("option_" + c)]
    correct_raw = get("correct").lower()
    correct = [c for c in re.split(r"[\s,;|/]+", correct_raw) if c]
    if len(letters) < 2:
        return RowError(line, "a question needs at least two options (option_a, option_b…)")
    if not correct:
        return RowError(line, "no correct option (column 'correct', e.g. a or a,c)")
    unknown = [c for c in correct if c not in letters]
    if unknown:
        return RowError(line, "correct names options that are empty or unknown: %s" % ", ".join(unknown))
    try:
        item, page = parse_source(get("source_item"))
    except ValueError as exc:
        return RowError(line, str(exc))
    if get("source_page"):
        if not get("source_page").isdigit():
            return RowError(line, "source_page %r is not a number" % get("source_page"))
        page = int(get("source_page"))
    multiple_raw = get("multiple").lower()
    multiple = None if not multiple_raw else multiple_raw in {"1", "true", "yes", "x", "có"}
    if multiple is False and len(correct) > 1:
        return RowError(line, "a single-answer question has %d correct options" % len(correct))
    options = [{"id": c, "text": get("option_" + c), "correct": c in correct} for c in letters]
    return QuestionRow(line=line, text=text, options=options, topic=get("topic"), period=get("period"),
                       key=get("key") or get("id"), source_item=item, source_page=page,
                       explanation=get("explanation"), multiple=multiple)


def _check_header(header: list[str]) -> list[str]:
    names = [str(h or "").strip().lower() for h in header]
    if "question" not in names:
        raise BankFileError("the first row must name the columns: %s" % ", ".join(COLUMNS))
    return names


def parse_csv(data: bytes) -> Parsed:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BankFileError("the CSV file is not UTF-8 (byte %d)" % exc.start) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = _check_header(next(reader))
    except StopIteration:
        raise BankFileError("the file is empty") from None
    parsed = Parsed()
    line = reader.line_num
    for values in reader:
        start, line = line + 1, reader.line_num
        if not any(v.strip() for v in values):
            continue
        result = _row_from_mapping(start, dict(zip(header, values, strict=False)))
        (parsed.errors if isinstance(result, RowError) else parsed.rows).append(result)
    return parsed


def parse_xlsx(data: bytes) -> Parsed:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise BankFileError("not a readable XLSX workbook (%s)" % exc) from None
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    try:
        header = _check_header([str(v) if v is not None else "" for v in next(rows)])
    except StopIteration:
        raise BankFileError("the first sheet is empty") from None
    parsed = Parsed()
    for number, values in enumerate(rows, start=2):
        cells = ["" if v is None else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
                 for v in values]
        if not any(c.strip() for c in cells):
            continue
        result = _row_from_mapping(number, dict(zip(header, cells, strict=False)))
        (parsed.errors if isinstance(result, RowError) else parsed.rows).append(result)
    book.close()
    return parsed


# --- Moodle GIFT ------------------------------------------------------------------------------------
# A question is "::title:: text { =right ~wrong … }" (or "~%50%a ~%50%b ~%-100%c" for several answers);
# "$CATEGORY: a/b" sets the topic of the questions after it; "// source_item: 12:3" (or "// nguồn: …")
# in the comment lines just before a question names the archive item that proves its answer.

_GIFT_SPECIAL = re.compile(r"\\([=~#{}:\\])")
_SOURCE_COMMENT = re.compile(r"^//\s*(?:source_item|source|nguồn)\s*:\s*(.+)$", re.IGNORECASE)


def _unescape(text: str) -> str:
    return _GIFT_SPECIAL.sub(r"\1", text).strip()


def _split_unescaped(body: str, marks: str) -> list[tuple[str, str]]:
    """Split an answer block into (mark, text) at unescaped ``=`` / ``~``."""
    parts: list[tuple[str, str]] = []
    mark, buf, i = "", [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            buf.append(body[i:i + 2])
            i += 2
            continue
        if ch in marks:
            if mark or "".join(buf).strip():
                parts.append((mark, "".join(buf)))
            mark, buf = ch, []
        else:
            buf.append(ch)
        i += 1
    if mark or "".join(buf).strip():
        parts.append((mark, "".join(buf)))
    return parts


def _strip_feedback(text: str) -> str:
    m = re.search(r"(?<!\\)#", text)
    return text[: m.start()] if m else text


def _gift_question(line: int, block: str, topic: str, source: str) -> QuestionRow | RowError:
    m = re.match(r"\s*(?:::(.*?)::)?(.*)$", block, flags=re.DOTALL)
    title, rest = (m.group(1) or "").strip(), m.group(2)
    open_at = re.search(r"(?<!\\)\{", rest)
    close_at = re.search(r"(?<!\\)\}", rest[open_at.end():]) if open_at else None
    if not open_at or not close_at:
        return RowError(line, "no answer block { … }")
    stem = rest[: open_at.start()] + " " + rest[open_at.end() + close_at.end():]
    stem = re.sub(r"^\[(html|moodle|plain|markdown)\]", "", stem.strip())
    body = rest[open_at.end(): open_at.end() + close_at.start()].strip()
    text = _unescape(" ".join(stem.split()))
    if not text:
        return RowError(line, "empty question")
    if not body or body.upper() in {"T", "F", "TRUE", "FALSE"} or body.startswith("#"):
        return RowError(line, "only multiple-choice GIFT questions are supported (this one is %s)"
                        % ("essay" if not body else "true/false" if not body.startswith("#") else "numerical"))
    parts = [(mk, _strip_feedback(t)) for mk, t in _split_unescaped(body, "=~")]
    if any("->" in t for _mk, t in parts):
        return RowError(line, "matching questions are not supported")
    options, correct = [], []
    for mark, raw in parts:
        weight = None
        wm = re.match(r"\s*%(-?\d+(?:\.\d+)?)%(.*)$", raw, flags=re.DOTALL)
        if wm:
            weight, raw = float(wm.group(1)), wm.group(2)
        if not mark:
            return RowError(line, "answer %r does not start with = or ~" % raw.strip()[:40])
        is_right = mark == "=" or (weight is not None and weight > 0)
        options.append((_unescape(raw), is_right))
    if any(mark == "=" for mark, _t in parts) and len(options) == sum(1 for mark, _ in parts if mark == "="):
        return RowError(line, "short-answer questions (only = answers) are not supported")
    if len(options) < 2:
        return RowError(line, "a question needs at least two options")
    if len(options) > len(OPTION_LETTERS):
        return RowError(line, "at most %d options per question" % len(OPTION_LETTERS))
    correct = [right for _t, right in options]
    if not any(correct):
        return RowError(line, "no correct option")
    try:
        item, page = parse_source(source)
    except ValueError as exc:
        return RowError(line, str(exc))
    opts = [{"id": OPTION_LETTERS[i], "text": t, "correct": right} for i, (t, right) in enumerate(options)]
    multiple = sum(correct) > 1
    return QuestionRow(line=line, text=text, options=opts, topic=topic, key=title[:64] if title else "",
                       source_item=item, source_page=page, multiple=multiple)


def parse_gift(data: bytes) -> Parsed:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BankFileError("the GIFT file is not UTF-8 (byte %d)" % exc.start) from None
    parsed = Parsed()
    topic, source = "", ""
    block: list[str] = []
    block_line = 0

    def flush() -> None:
        nonlocal block, source
        if block:
            result = _gift_question(block_line, "\n".join(block), topic, source)
            (parsed.errors if isinstance(result, RowError) else parsed.rows).append(result)
        block, source = [], ""

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("//"):
            m = _SOURCE_COMMENT.match(line)
            if m and not block:
                source = m.group(1).strip()
            continue
        if line.startswith("$CATEGORY:") and not block:
            topic = line.split(":", 1)[1].strip().strip("/").split("/")[-1].removeprefix("$course$").strip("/")
            continue
        if not block:
            block_line = number
        block.append(raw)
    flush()
    return parsed


def parse_bank_file(path: Path) -> Parsed:
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return parse_csv(data)
    if suffix in {".xlsx", ".xlsm"}:
        return parse_xlsx(data)
    if suffix in {".gift", ".txt"}:
        return parse_gift(data)
    raise BankFileError("unknown bank format %r (use .csv, .xlsx or .gift)" % path.suffix)
