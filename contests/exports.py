"""Results and answer sheets of a round, keyed by question id (never by position: options and questions are
shuffled per attempt)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from contests.models import Answer, Attempt, Round
from contests.services import finalise_expired

RESULT_COLUMNS = ["attempt_id", "taker_id", "name", "unit_code", "birth_year", "round", "number", "score", "correct",
                  "prediction", "prediction_error", "started_at", "submitted_at", "submitted_ms", "duration_ms",
                  "auto_submitted", "saves", "flags"]
ANSWER_COLUMNS = ["attempt_id", "taker_id", "question_id", "question_key", "version_id", "position", "option_ids",
                  "correct_options", "is_correct", "saved_at"]


def _safe(value: object) -> object:
    """Spreadsheet formula injection: text starting with = + - @ is prefixed with a quote."""
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + value
    return value


def result_rows(round_: Round) -> Iterable[list]:
    qs = (Attempt.objects.filter(round=round_).select_related("taker").order_by("pk"))
    flagged = {}
    from contests.models import Flag

    for taker_id, kind in Flag.objects.filter(taker__contest_id=round_.contest_id, cleared=False).values_list(
            "taker_id", "kind"):
        flagged.setdefault(taker_id, set()).add(kind)
    for a in qs.iterator(chunk_size=2000):
        yield [a.pk, a.taker_id, a.taker.name, a.taker.unit_code, a.taker.birth_year, round_.name, a.number, a.score,
               a.correct, a.prediction, a.prediction_error, a.started_at.isoformat(),
               a.submitted_at.isoformat() if a.submitted_at else "", a.submitted_ms, a.duration_ms,
               a.auto_submitted, a.saves, ",".join(sorted(flagged.get(a.taker_id, ())))]


def answer_rows(round_: Round) -> Iterable[list]:
    qs = (Answer.objects.filter(attempt__round=round_).select_related("version__question", "attempt")
          .order_by("attempt_id", "position"))
    for ans in qs.iterator(chunk_size=5000):
        v = ans.version
        yield [ans.attempt_id, ans.attempt.taker_id, v.question_id, v.question.key, v.pk, ans.position,
               ",".join(ans.option_ids or []), ",".join(v.correct_ids),
               "" if ans.is_correct is None else ans.is_correct, ans.saved_at.isoformat() if ans.saved_at else ""]


def export(round_: Round, *, what: str, fmt: str) -> bytes:
    finalise_expired(round_id=round_.pk)
    header, rows = (RESULT_COLUMNS, result_rows(round_)) if what == "results" else (ANSWER_COLUMNS,
                                                                                     answer_rows(round_))
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(header)
        for row in rows:
            writer.writerow([_safe(v) for v in row])
        return buf.getvalue().encode("utf-8-sig")
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(what)
    sheet.append(header)
    for row in rows:
        sheet.append([_safe(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
