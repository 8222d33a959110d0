"""Banks, contests and takers for the contests tests, made through the app's own services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from contests import services
from contests.importers import Parsed, QuestionRow
from contests.models import Contest


def make_bank(slug: str = "lich-su", n: int = 10, *, multiple_every: int = 0, source_item: int | None = None) -> Any:
    rows = []
    for i in range(1, n + 1):
        multiple = bool(multiple_every) and i % multiple_every == 0
        rows.append(QuestionRow(line=i + 1, text="Câu hỏi số %d về lịch sử Đảng bộ?" % i, options=[
            {"id": "a", "text": "Đáp án A%d" % i, "correct": True},
            {"id": "b", "text": "Đáp án B%d" % i, "correct": multiple},
            {"id": "c", "text": "Đáp án C%d" % i, "correct": False},
            {"id": "d", "text": "Đáp án D%d" % i, "correct": False},
        ], topic="Chỉ thị 20", key="Q%03d" % i, source_item=source_item, source_page=1 if source_item else None))
    report = services.bank_import(bank_slug=slug, parsed=Parsed(rows=rows), by=None)
    assert report.as_dict()["failed"] == 0, report.errors
    return report


def make_contest(slug: str = "thi-thu", *, bank: str = "lich-su", per_attempt: int = 5, time_limit_s: int = 600,
                 attempts: int = 3, rounds: list[dict] | None = None, unit_code: str | None = None) -> Contest:
    now = timezone.now()
    if rounds is None:
        rounds = [
            {"name": "Tuần 1", "opens_at": (now - dt.timedelta(days=8)).isoformat(),
             "closes_at": (now - dt.timedelta(days=1)).isoformat()},
            {"name": "Tuần 2", "opens_at": (now - dt.timedelta(hours=1)).isoformat(),
             "closes_at": (now + dt.timedelta(days=6)).isoformat()},
        ]
    spec = {"slug": slug, "title": "Hội thi tìm hiểu lịch sử Đảng bộ", "bank": bank,
            "questions_per_attempt": per_attempt, "time_limit_s": time_limit_s, "attempts_per_round": attempts,
            "rounds": rounds, "prediction_question": "Có bao nhiêu lượt dự thi trong tuần?"}
    if unit_code:
        spec["unit_code"] = unit_code
    return services.contest_create(spec=spec, by=None)


def register(contest: Contest, unit: Any, name: str = "Nguyễn Văn A", contact: str = "0912345678",
             birth_year: int = 1990) -> Any:
    taker, _created = services.taker_register(contest=contest, name=name, unit_code=unit.code,
                                              birth_year=birth_year, contact=contact)
    return taker


def answer_all(attempt: Any, *, right: int, now: Any = None) -> None:
    """Answer the first ``right`` questions correctly and the rest wrongly."""
    data = services.version_data([int(k) for k in attempt.layout])
    for i, key in enumerate(attempt.layout):
        v = data[int(key)]
        chosen = sorted(v.correct) if i < right else [next(o for o, _t in v.options if o not in v.correct)]
        services.answer_save(attempt_id=attempt.pk, taker_id=attempt.taker_id, version_id=v.id, option_ids=chosen,
                             now=now)
