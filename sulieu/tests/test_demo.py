from __future__ import annotations

import pytest

from archive.models import Item
from orgs.access import filter_visible
from orgs.models import OrgUnit
from sulieu.demo import load_demo

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_demo_loads_a_browsable_archive_and_is_idempotent():
    lines: list[str] = []
    context = load_demo(log=lines.append)
    items = Item.objects.all()
    assert items.count() >= 10
    assert not items.exclude(status="done").exists(), list(items.values_list("title", "status", "error"))
    # the public sees the seed articles and the scanned document, not the internal report
    public = filter_visible(None, items)
    titles = " ".join(public.values_list("title", flat=True))
    assert "Kế hoạch sơ kết 05 năm" in titles
    scan = public.get(kind="document", page_count=2)
    assert all(p.ocr_confidence and p.text.strip() for p in scan.pages.all())
    assert public.count() < items.count()
    assert filter_visible(context["archivist"], items).count() == items.count()
    before_items, before_units = items.count(), OrgUnit.objects.count()
    load_demo(log=lines.append)
    assert Item.objects.count() == before_items and OrgUnit.objects.count() == before_units
