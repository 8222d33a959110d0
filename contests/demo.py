"""Demo contest: a bank of 64 questions on the seed pages and the demo archive (each with its source item),
a closed round with a leaderboard and an open round. Idempotent: the bank import skips unchanged questions,
and the contest is made once."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.utils import timezone

from archive.models import IngestRecord
from contests import services
from contests.importers import parse_csv
from contests.models import Attempt, Contest
from orgs.models import OrgUnit, UnitKind

DEMO_BANK = Path(__file__).resolve().parent / "demo_data" / "bank.csv"
BANK_SLUG = "lich-su-dang-bo-khanh-hoa"
CONTEST_SLUG = "tim-hieu-lich-su-dang"
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Huỳnh Thị Giang",
         "Phan Văn Hải", "Vũ Thị Hạnh", "Võ Văn Hùng", "Đặng Thị Lan", "Bùi Văn Long", "Đỗ Thị Mai",
         "Hồ Văn Nam", "Ngô Thị Oanh", "Dương Văn Phúc", "Lý Thị Quyên", "Trịnh Văn Sơn", "Đinh Thị Thu",
         "Mai Văn Tuấn", "Tô Thị Uyên", "Lưu Văn Việt", "Châu Thị Xuân", "Tạ Văn Yên", "Kiều Thị Ánh"]


def _bank_bytes() -> bytes:
    """The demo CSV with its source files replaced by the ids the demo archive gave them."""
    ids = dict(IngestRecord.objects.filter(item__isnull=False).order_by("at").values_list("name", "item_id"))
    text = DEMO_BANK.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(rows[0])
    col = rows[0].index("source_item")
    for row in rows[1:]:
        name, _, page = row[col].partition(":")
        row[col] = ("%d:%s" % (ids[name], page) if page else str(ids[name])) if name in ids else ""
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def load_demo(context: dict[str, Any], log: Callable[[str], None]) -> None:
    report = services.bank_import(bank_slug=BANK_SLUG, parsed=parse_csv(_bank_bytes()), by=context.get("admin"),
                                  source_name=DEMO_BANK.name).as_dict()
    log("contests: bank %(bank)s, %(imported)d imported, %(unchanged)d unchanged, %(failed)d refused" % report)
    if Contest.objects.filter(slug=CONTEST_SLUG).exists():
        log("contests: demo contest already there")
        return
    now = timezone.now().replace(microsecond=0)
    province = context["province"]
    spec = {"slug": CONTEST_SLUG, "title": "Hội thi trực tuyến tìm hiểu lịch sử Đảng bộ tỉnh Khánh Hòa",
            "bank": BANK_SLUG, "questions_per_attempt": 10, "time_limit_s": 600, "attempts_per_round": 3,
            "unit_code": province.code,
            "prediction_question": "Dự đoán có bao nhiêu lượt dự thi trong tuần này?",
            "rounds": [{"name": "Tuần 1", "opens_at": (now - dt.timedelta(days=14)).isoformat(),
                        "closes_at": (now - dt.timedelta(days=7)).isoformat()},
                       {"name": "Tuần 2", "opens_at": (now - dt.timedelta(days=1)).isoformat(),
                        "closes_at": (now + dt.timedelta(days=6)).isoformat()}]}
    contest = services.contest_create(spec=spec, by=context.get("admin"))
    communes = list(OrgUnit.objects.filter(path__startswith=province.path, valid_to__isnull=True,
                                           kind__in=[UnitKind.COMMUNE, UnitKind.WARD]).exclude(code="")
                    .order_by("name")[:8])
    rng = random.Random(2026)  # the same demo every time
    week1 = contest.rounds.get(name="Tuần 1")
    for i, name in enumerate(NAMES):
        taker, _ = services.taker_register(contest=contest, name=name, unit_code=communes[i % len(communes)].code,
                                           birth_year=1960 + (i * 7) % 50, contact="demo%02d@example.org" % i)
        for n in range(1 + i % 3):
            start = week1.opens_at + dt.timedelta(hours=6 + i * 3 + n, minutes=rng.randrange(60))
            attempt, _ = services.attempt_start(contest_slug=contest.slug, taker_id=taker.pk, now=start)
            data = services.version_data([int(k) for k in attempt.layout])
            skill = 0.55 + 0.4 * rng.random()
            for k, key in enumerate(attempt.layout):
                v = data[int(key)]
                wrong = [o for o, _t in v.options if o not in v.correct]
                chosen = sorted(v.correct) if rng.random() < skill else [rng.choice(wrong)]
                services.answer_save(attempt_id=attempt.pk, taker_id=taker.pk, version_id=v.id, option_ids=chosen,
                                     now=start + dt.timedelta(seconds=20 * (k + 1)))
            services.attempt_submit(attempt_id=attempt.pk, taker_id=taker.pk, prediction=rng.randrange(20, 90),
                                    now=start + dt.timedelta(seconds=230 + rng.randrange(300)))
    attempts = Attempt.objects.filter(round=week1).count()
    services.round_set_actual(contest=contest, round_name="Tuần 1", value=attempts, by=context.get("admin"))
    log("contests: demo contest /contests/%s/ — Tuần 1 closed (%d takers, %d attempts), Tuần 2 open"
        % (contest.slug, len(NAMES), attempts))
