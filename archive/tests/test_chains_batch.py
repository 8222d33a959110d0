"""The cheap steps of a claimed batch run in one transaction with their rows written together: near copies and
references inside one batch are still found, a failing item is rolled back and recorded alone, and a batch whose
own writes fail (or whose item a person changed meanwhile) runs item by item with nothing lost or doubled."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from archive import runner
from archive.formats import BadInput
from archive.ingest import ingest_sources
from archive.models import (
    DuplicateCandidate,
    Item,
    ItemEvent,
    ItemPage,
    ItemPlace,
    ItemReference,
    ItemStatus,
    PageTextVersion,
    Stage,
    TextBand,
)
from archive.pipeline import chains, engine
from archive.pipeline.leases import claim_items
from archive.pipeline.neardup import BANDS
from archive.pipeline.steps import describe
from archive.services import IngestOptions

pytestmark = pytest.mark.django_db

BODY = ("Thực hiện Chỉ thị số 20-CT/TW của Ban Bí thư, Đảng ủy xã Cam Lâm đã tổ chức sưu tầm được nhiều tư liệu về "
        "lịch sử Đảng bộ và nhân dân xã trong hai cuộc kháng chiến, lập danh mục các di tích lịch sử cách mạng ở "
        "Nha Trang và Diên Khánh, ghi lại hồi ký của các cán bộ lão thành cách mạng và gia đình có công. ")
PLAN = ["TỈNH ỦY KHÁNH HÒA", "Số 12-KH/TU", "Khánh Hòa, ngày 3 tháng 2 năm 2020", "KẾ HOẠCH",
        "triển khai Chỉ thị số 20-CT/TW về công tác lịch sử Đảng tại Nha Trang. " + BODY]
REPORT = ["ĐẢNG ỦY XÃ CAM LÂM", "Số 5-BC/ĐU", "Cam Lâm, ngày 9 tháng 3 năm 2020", "BÁO CÁO",
          "Thực hiện Kế hoạch số 12-KH/TU ngày 3/2/2020 của Tỉnh ủy Khánh Hòa, Đảng ủy xã báo cáo như sau. "]


def _ingest(folder: Path, texts: dict[str, list[str]]) -> dict[str, int]:
    folder.mkdir()
    for name, lines in texts.items():
        (folder / name).write_text("\n".join(lines), encoding="utf-8")
    results = ingest_sources([str(folder)], options=IngestOptions(access="public"))
    return {r.source.rsplit("/", 1)[-1]: r.item.pk for r in results if r.item is not None}


@pytest.fixture
def chained(monkeypatch: pytest.MonkeyPatch) -> list[set[int]]:
    """The ids of the items each call of ``engine.run_chains`` did together."""
    calls: list[set[int]] = []
    run = engine.run_chains

    def spy(items: list[Item]) -> Any:
        done, tried = run(items)
        calls.append(set(done))
        return done, tried

    monkeypatch.setattr(engine, "run_chains", spy)
    return calls


def _rows_once(ids: list[int]) -> None:
    """Every item is done with exactly one set of rows: no row of a rolled-back attempt is left, none doubled."""
    for pk in ids:
        item = Item.objects.get(pk=pk)
        assert (item.status, item.stage, item.lease_owner) == (ItemStatus.DONE, Stage.DONE, "")
        assert ItemPage.objects.filter(item_id=pk).count() == 1
        assert PageTextVersion.objects.filter(page__item_id=pk).count() == 1
        assert TextBand.objects.filter(item_id=pk).count() in (0, BANDS)
        kinds = list(ItemEvent.objects.filter(item_id=pk).values_list("kind", flat=True))
        for kind in ("identified", "extracted", "described", "deduplicated", "indexed"):
            assert kinds.count(kind) == 1, (pk, kind, kinds)
        assert ItemPlace.objects.filter(item_id=pk).count() == len({p["name"] for p in item.places})


def test_near_copies_and_references_inside_one_batch_are_found(tmp_path: Path, chained: list[set[int]]) -> None:
    near = [*PLAN[:4], PLAN[4].replace("nhiều tư liệu", "rất nhiều tư liệu")]
    ids = _ingest(tmp_path / "docs", {"a-bao-cao.txt": REPORT, "b-ke-hoach.txt": PLAN, "c-ban-sao.txt": near,
                                      "d-khac.txt": ["Một văn bản ngắn khác."]})
    runner.run_until_done(list(ids.values()), poll=0.01)
    assert chained and set(ids.values()) <= set().union(*chained)  # all four went through one batch
    # in the order they were registered (which of two look-alike documents pairs with which depends on it)
    done_order = ItemEvent.objects.filter(kind="deduplicated").order_by("id").values_list("item_id", flat=True)
    assert list(done_order) == [ids[name] for name in sorted(ids)]
    plan, copy, report = ids["b-ke-hoach.txt"], ids["c-ban-sao.txt"], ids["a-bao-cao.txt"]
    pairs = {(min(a, b), max(a, b)) for a, b in DuplicateCandidate.objects.values_list("item_id", "other_id")}
    assert pairs == {(plan, copy)}
    # the report was described before the plan of the same batch existed in the database: its reference to
    # 12-KH/TU still points at the plan (the newest item with that symbol), and the copy's at the plan too
    assert Item.objects.get(pk=plan).symbol == "12-KH/TU"
    assert ItemReference.objects.get(source_id=report, symbol="12-KH/TU").target_id in (plan, copy)
    assert ItemReference.objects.get(source_id=plan, symbol="20-CT/TW").target_id is None
    _rows_once(list(ids.values()))
    places = {p["name"] for p in Item.objects.get(pk=plan).places}
    assert "Khánh Hòa" in places and set(ItemPlace.objects.filter(item_id=plan).values_list("name", flat=True)) == places


def test_a_reference_written_before_its_target_arrives_in_a_later_batch_finds_it(tmp_path: Path) -> None:
    first = _ingest(tmp_path / "one", {"a.txt": REPORT, "b.txt": ["Văn bản khác, không dẫn chiếu."]})
    runner.run_until_done(list(first.values()), poll=0.01)
    assert ItemReference.objects.get(source_id=first["a.txt"], symbol="12-KH/TU").target_id is None
    second = _ingest(tmp_path / "two", {"c.txt": PLAN, "d.txt": ["Một văn bản nữa."]})
    runner.run_until_done(list(second.values()), poll=0.01)
    assert ItemReference.objects.get(source_id=first["a.txt"], symbol="12-KH/TU").target_id == second["c.txt"]


def test_a_failing_item_in_a_batch_is_rolled_back_and_recorded_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                      chained: list[set[int]]) -> None:
    ids = _ingest(tmp_path / "docs", {"a.txt": REPORT, "b.txt": PLAN, "c.txt": ["Văn bản thứ ba của xã."]})
    run = describe.Describe.run

    def failing(self: Any, item: Item) -> Any:
        if item.pk == ids["b.txt"]:
            raise BadInput('Không đọc được <script>alert("x")</script>')
        return run(self, item)

    monkeypatch.setattr(describe.Describe, "run", failing)
    runner.run_until_done(list(ids.values()), poll=0.01)
    assert chained[0] == {ids["a.txt"], ids["c.txt"]}
    bad = Item.objects.get(pk=ids["b.txt"])
    assert bad.status == ItemStatus.FAILED and bad.stage == Stage.DESCRIBE
    assert bad.error == 'Không đọc được <script>alert("x")</script>'  # stored as text, escaped where shown
    assert bad.stages["describe"]["status"] == "failed"
    # its first attempt left nothing: the page written when it ran alone is its only one
    assert ItemPage.objects.filter(item=bad).count() == 1 and not TextBand.objects.filter(item=bad).exists()
    assert ItemEvent.objects.filter(item=bad, kind="failed").count() == 1
    _rows_once([ids["a.txt"], ids["c.txt"]])
    monkeypatch.setattr(describe.Describe, "run", run)


def test_a_batch_whose_writes_fail_runs_item_by_item(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      chained: list[set[int]]) -> None:
    ids = _ingest(tmp_path / "docs", {"a.txt": REPORT, "b.txt": PLAN, "c.txt": PLAN[:4] + [BODY]})

    def broken(*args: Any) -> None:
        raise RuntimeError("ổ đĩa đầy")

    monkeypatch.setattr(chains, "_batch_write", broken)
    runner.run_until_done(list(ids.values()), poll=0.01)
    assert chained == [set()]  # tried together, nothing kept
    _rows_once(list(ids.values()))
    assert ItemReference.objects.get(source_id=ids["a.txt"], symbol="12-KH/TU").target_id in (ids["b.txt"],
                                                                                             ids["c.txt"])
    assert DuplicateCandidate.objects.count() == 1


def test_an_item_changed_by_a_person_after_the_claim_makes_the_batch_run_item_by_item(tmp_path: Path) -> None:
    ids = _ingest(tmp_path / "docs", {"a.txt": REPORT, "b.txt": PLAN})
    held = claim_items([(pk, Stage.IDENTIFY.value) for pk in ids.values()])
    # a person's edit after the claim's read (a save moves updated_at)
    Item.objects.filter(pk=ids["a.txt"]).update(note="Ghi chú của cán bộ lưu trữ", updated_at=timezone.now())
    done, tried = engine.run_chains(list(held.values()))
    assert done == {} and tried == set(ids.values())
    assert not ItemPage.objects.exists() and not ItemEvent.objects.filter(kind="identified").exists()
    for pk in ids.values():  # alone, reading each item again: the note is kept
        engine.run_step(pk, Stage.IDENTIFY.value, held=True)
    assert Item.objects.get(pk=ids["a.txt"]).note == "Ghi chú của cán bộ lưu trữ"
    assert set(Item.objects.values_list("stage", flat=True)) == {Stage.DONE}
