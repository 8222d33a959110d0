"""TT 05/2025 item metadata as CSV or XLSX with the annex's column names, out and back in.

Export: one row per item of a collection (and everything under it) that the user may see. Import:
rows are matched to items by "Mã định danh tài liệu" (the item id) and their descriptive fields are
corrected through ``archive.services.item_update`` (permission checked, audited, locked against the
describe step). A row that names no item, or holds a bad value, is reported and changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from archive.models import Collection, Item
from archive.services import item_update
from interop.metadata import ACCESS_CODES, LANGUAGE_CODES, TT05_FIELDS, item_tt05
from orgs.access import filter_visible

COLUMNS = [label for _name, label in TT05_FIELDS]
BY_LABEL = {label: name for name, label in TT05_FIELDS}
ACCESS_BY_CODE = {code: level for level, code in ACCESS_CODES.items()}
LANGUAGE_BY_CODE = {code: lang for lang, code in LANGUAGE_CODES.items()}
# Columns that can be corrected by import, and the Item field each one writes.
WRITABLE = {"title": "title", "summary": "summary", "docSymbol": "symbol", "docNumber": "doc_number",
            "docType": "doc_type_name", "issuer": "issuer_name", "signer": "signer", "note": "note",
            "keywords": "keywords", "language": "language", "accessLevel": "access", "reliability": "reliability",
            "date": "date_text"}


class Tt05Error(Exception):
    pass


def rows_for(collection: Collection, *, user: Any) -> list[dict[str, str]]:
    items = (filter_visible(user, Item.objects.filter(collection__path__startswith=collection.path,
                                                      merged_into__isnull=True))
             .select_related("collection").order_by("collection__path", "pk"))
    fonds = collection if collection.depth == 0 else Collection.objects.filter(
        pk=collection.ancestor_ids()[0]).first()
    return [{label: item_tt05(item, fonds=fonds)[name] for name, label in TT05_FIELDS} for item in items]


def write_table(rows: list[dict[str, str]], path: Path) -> None:
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = "TT05-2025"
        sheet.append(COLUMNS)
        for row in rows:
            # A leading "=" would be a formula in a spreadsheet: keep every value plain text.
            sheet.append([_plain_cell(row[c]) for c in COLUMNS])
        book.save(path)
        return
    with open(path, "w", newline="", encoding="utf-8-sig") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: _plain_cell(row[c]) for c in COLUMNS})


def _plain_cell(value: str) -> str:
    return "'" + value if value[:1] in {"=", "+", "-", "@"} and not re.match(r"^-?\d", value) else value


def read_table(path: Path) -> list[dict[str, str]]:
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise Tt05Error("not a readable XLSX file: %s" % exc) from None
        rows = [["" if v is None else str(v) for v in row] for row in book.active.iter_rows(values_only=True)]
    else:
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise Tt05Error("the CSV file is not UTF-8") from None
        rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise Tt05Error("the table is empty")
    header = [h.strip() for h in rows[0]]
    if BY_LABEL and "Mã định danh tài liệu" not in header:
        raise Tt05Error("no column \"Mã định danh tài liệu\": the first row must hold the TT 05/2025 column names")
    unknown = [h for h in header if h and h not in BY_LABEL]
    if unknown:
        raise Tt05Error("unknown column(s): %s" % ", ".join(unknown[:5]))
    return [dict(zip(header, (_unplain(v) for v in row), strict=False)) for row in rows[1:] if any(row)]


def _unplain(value: str) -> str:
    return value[1:] if value[:2] in {"'=", "'+", "'-", "'@"} else value


@dataclass
class Tt05Import:
    rows: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "updated": self.updated, "unchanged": self.unchanged, "failed": self.failed,
                "errors": self.errors[:50]}


def _fields_of(row: dict[str, str]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for label, value in row.items():
        name = BY_LABEL.get(label)
        if name not in WRITABLE:
            continue
        value = (value or "").strip()
        target = WRITABLE[name]
        if name == "keywords":
            fields[target] = [k.strip() for k in value.split(";") if k.strip()]
        elif name == "accessLevel":
            if value not in ACCESS_BY_CODE:
                raise ValueError("Mức độ tiếp cận must be 01, 02 or 03, not %r" % value[:20])
            fields[target] = ACCESS_BY_CODE[value]
        elif name == "language":
            fields[target] = LANGUAGE_BY_CODE.get(value, value)[:16]
        elif name == "reliability":
            if value not in {"", "01", "02", "03"}:
                raise ValueError("Mức độ tin cậy must be 01, 02 or 03, not %r" % value[:20])
            fields[target] = value
        elif name == "date":
            fields[target] = value[:255]
            match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value)
            if match:
                y, m, d = match.groups()
                fields["date_earliest"] = dt.date(int(y), int(m or 1), int(d or 1))
                fields["date_precision"] = "day" if d else "month" if m else "year"
            elif value:
                raise ValueError("Ngày, tháng, năm tài liệu must be YYYY, YYYY-MM or YYYY-MM-DD, not %r" % value[:20])
        else:
            fields[target] = value
    return fields


def import_rows(rows: list[dict[str, str]], *, by: Any) -> Tt05Import:
    result = Tt05Import()
    for n, row in enumerate(rows, start=2):
        result.rows += 1
        ref = (row.get("Mã định danh tài liệu") or "").strip()
        item = Item.objects.filter(pk=int(ref)).first() if ref.isdigit() else None
        if item is None:
            result.failed += 1
            result.errors.append("row %d: no item with Mã định danh tài liệu %r" % (n, ref[:40]))
            continue
        try:
            fields = _fields_of(row)
            changes = {k: v for k, v in fields.items() if getattr(item, k) != v}
            if not changes:
                result.unchanged += 1
                continue
            with transaction.atomic():
                item_update(item=item, by=by, fields=changes)
            result.updated += 1
        except (ValueError, PermissionDenied) as exc:
            result.failed += 1
            result.errors.append("row %d: %s" % (n, exc if str(exc) else "not allowed"))
    return result
