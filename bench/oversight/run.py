"""Oversight benchmark: live completeness of the whole country and of one province, and the remind dry-run.

    SULIEU_DATA_DIR=$(mktemp -d) .venv/bin/python bench/oversight/run.py [--runs 30] [--provinces 34]
    SULIEU_PG_PORT=8543 scripts/with-postgres.sh .venv/bin/python bench/oversight/run.py

Loads every province's units (old and new, offline data, the loader of ``sulieu orgs-load``), hangs the 34
current provinces under a country unit, creates a country-wide monthly form (and one for Khánh Hòa) and a
year of monthly reports (2025-07 … 2026-06: ~80 % on time, ~8 % late, ~12 % missing; rows bulk-inserted, the
bench measures reads), then times ``report_status`` as the API serves it (through the Django test client:
routing, access, JSON) and ``report_remind(dry_run=True)``. Prints p50/p95 in ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def setup() -> None:
    os.environ.setdefault("SULIEU_DATA_DIR", tempfile.mkdtemp(prefix="sulieu-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sulieu.settings")
    import django

    django.setup()
    from sulieu.cli import ensure_database

    ensure_database(verbose=False)


def timed(fn, runs: int) -> tuple[float, float, object]:
    samples = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]
    return statistics.median(samples), p95, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--provinces", type=int, default=34)
    args = parser.parse_args()
    setup()
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from orgs.adminunits import load_province, province_names
    from orgs.models import OrgUnit, UnitKind
    from orgs.services import orgunit_get_or_create, orgunit_update
    from oversight.models import Report, ReportForm
    from oversight.periods import due_date, parse_period
    from oversight.selectors import expected_units, form_period
    from oversight.services import report_remind, reportform_create

    print("database: %s" % connection.vendor)
    names = province_names()[: args.provinces]
    if "Khánh Hòa" not in names:
        names[-1:] = ["Khánh Hòa"]
    start = time.perf_counter()
    for i, name in enumerate(names, 1):
        load_province(name)
        print("\rloading units: %d/%d provinces" % (i, len(names)), end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    country, _ = orgunit_get_or_create(kind=UnitKind.OTHER, code="VN", name="Việt Nam")
    current = OrgUnit.objects.filter(kind=UnitKind.PROVINCE, valid_to__isnull=True).exclude(parent=country)
    for province in current:
        orgunit_update(unit=province, parent=country)
    communes = OrgUnit.objects.filter(path__startswith=country.path, valid_to__isnull=True,
                                      kind__in=["commune", "ward", "special_zone"]).count()
    print("units: %d in all, %d current communes under %d provinces (%.0f s to load)" % (
        OrgUnit.objects.count(), communes, OrgUnit.objects.filter(parent=country).count(),
        time.perf_counter() - start))

    fields = [{"key": "conferences", "label": "Hội nghị", "type": "int", "required": True},
              {"key": "lessons", "label": "Bài học", "type": "text", "required": False}]
    forms = {}
    for slug, root in (("bench-country", "VN"), ("bench-khanh-hoa", "56")):
        forms[slug] = ReportForm.objects.filter(slug=slug).first() or reportform_create(spec={
            "slug": slug, "title": slug, "root_unit": root, "level": "commune", "period_type": "month",
            "cutoff": "calendar", "due_days": 5, "fields": fields})
    keys = ["2025-%02d" % m for m in range(7, 13)] + ["2026-%02d" % m for m in range(1, 7)]
    rng = random.Random(20)
    tz = timezone.get_current_timezone()
    start = time.perf_counter()
    for form in forms.values():
        if Report.objects.filter(form=form).exists():
            continue
        for key in keys:
            period = form_period(form, key)
            due = due_date(period, form.due_days)
            rows = []
            for unit in expected_units(form, period):
                draw = rng.random()
                if draw < 0.12:
                    continue
                day = due - dt.timedelta(days=rng.randint(0, 5)) if draw < 0.92 else due + dt.timedelta(days=3)
                at = dt.datetime.combine(day, dt.time(10), tzinfo=tz)
                rows.append(Report(form=form, org_unit_id=unit["id"], period_key=key, values={"conferences": 2},
                                   submitted_at=at, first_submitted_at=at, on_time=day <= due,
                                   status="approved" if draw < 0.3 else "submitted"))
            Report.objects.bulk_create(rows, batch_size=2000)
    print("reports: %d stored for %d monthly periods (%.0f s)" % (Report.objects.count(), len(keys),
                                                                  time.perf_counter() - start))

    staff = get_user_model().objects.filter(username="bench").first() or get_user_model().objects.create_superuser(
        "bench", "bench@example.org", "bench-password-20")
    client = Client()
    client.force_login(staff)
    key = keys[-1]

    def api(slug: str) -> dict:
        response = client.get("/api/v1/reports/%s/%s/status" % (slug, key))
        assert response.status_code == 200, response.status_code
        return response.json()

    for label, slug in (("country", "bench-country"), ("one province (Khánh Hòa)", "bench-khanh-hoa")):
        api(slug)  # warm-up
        p50, p95, data = timed(lambda slug=slug: api(slug), args.runs)
        print("status API, %s %s: %d expected, %d units in the tree — p50 %.1f ms, p95 %.1f ms" % (
            label, key, data["expected"], len(data["units"]), p50, p95))
    period = parse_period(key)
    now = dt.datetime.combine(due_date(period, 5) + dt.timedelta(days=2), dt.time(9), tzinfo=tz)
    p50, p95, result = timed(lambda: report_remind(form=forms["bench-country"], period_key=key, now=now,
                                                   dry_run=True), args.runs)
    print("remind dry-run, country %s (stage %s): %d units — p50 %.1f ms, p95 %.1f ms" % (
        key, result["stage"], result["sent"], p50, p95))


if __name__ == "__main__":
    main()
