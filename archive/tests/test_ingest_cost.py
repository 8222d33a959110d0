"""Born-digital ingest: bounded SQL statements per document, the one-transaction chain, dedup on varied text,
the counts of a folder ingest."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive import samples
from archive.models import DuplicateCandidate, Item, ItemEvent, ItemPlace, ItemStatus, Reliability
from archive.pipeline.engine import run_step
from archive.services import IngestOptions, item_ingest_bytes, item_update

pytestmark = pytest.mark.django_db

# Real passages (quoted public pages about the Party history work in Khánh Hòa and Lâm Đồng), each long
# enough to be compared by the deduplicate step.
PASSAGES = [
    "Ngày 18/8/2022, Ban Thường vụ Tỉnh ủy Khánh Hòa ban hành Kế hoạch số 98-KH/TU về sơ kết 05 năm thực hiện "
    "Chỉ thị số 20-CT/TW, ngày 18/01/2018 của Ban Bí thư Trung ương Đảng về tiếp tục tăng cường, nâng cao chất "
    "lượng nghiên cứu, biên soạn, tuyên truyền, giáo dục lịch sử Đảng. Ban Thường vụ Tỉnh ủy chỉ đạo các cấp ủy "
    "đảng, cơ quan, đơn vị, địa phương xây dựng báo cáo sơ kết 05 năm triển khai thực hiện Chỉ thị.",
    "Tiếp tục quán triệt, nâng cao hơn nữa nhận thức về vị trí, tầm quan trọng của công tác nghiên cứu, biên "
    "soạn, tuyên truyền, giáo dục lịch sử Đảng, xem đây là một nhiệm vụ chính trị đặc biệt, trọng tâm, cấp bách "
    "và lâu dài, bảo đảm thiết thực, hiệu quả, phù hợp với điều kiện của từng địa phương, đơn vị ở Lâm Đồng.",
    "Chủ động nghiên cứu, chỉ đạo xây dựng kế hoạch công tác nghiên cứu, biên soạn, tuyên truyền, giáo dục lịch "
    "sử Đảng, nâng cao chất lượng, tính ứng dụng của các công trình lịch sử Đảng. Đa dạng nội dung, phương pháp, "
    "hình thức tuyên truyền, giáo dục lịch sử Đảng, gắn với bảo vệ nền tảng tư tưởng của Đảng.",
    "Tiếp tục kiện toàn, sắp xếp và nâng cao chất lượng đội ngũ làm công tác nghiên cứu, biên soạn lịch sử Đảng; "
    "chủ động xây dựng chương trình, kế hoạch đào tạo, bồi dưỡng chuyên sâu và sử dụng hiệu quả đội ngũ cán bộ "
    "làm công tác lịch sử Đảng theo hướng ổn định, lâu dài, chuyên nghiệp ở huyện Diên Khánh.",
    "Tăng cường công tác kiểm tra, giám sát, kịp thời biểu dương, khen thưởng những tập thể, cá nhân điển hình; "
    "phát huy, nhân rộng những sáng kiến, mô hình, cách làm hay, tạo sức lan tỏa trong xã hội về lịch sử truyền "
    "thống vẻ vang của Đảng bộ và nhân dân thị xã Ninh Hòa qua các thời kỳ cách mạng.",
    "Mục đích của Kế hoạch nhằm đánh giá những kết quả đạt được, khó khăn, hạn chế, nguyên nhân và bài học kinh "
    "nghiệm trong quá trình triển khai thực hiện Chỉ thị số 20-CT/TW và Kế hoạch số 84-KH/TU, ngày 17/4/2018 "
    "của Ban Thường vụ Tỉnh ủy; trên cơ sở đó đề ra phương hướng, nhiệm vụ, giải pháp tiếp tục tăng cường.",
]


def _doc(i: int, body: list[str]) -> str:
    return "\n".join(["ĐẢNG ỦY XÃ CAM LÂM", "Số %d-BC/ĐU" % (i + 1), "Cam Lâm, ngày %d tháng 5 năm 2020" % (1 + i % 28),
                      "BÁO CÁO", *body])


PAIRS = list(itertools.combinations(range(len(PASSAGES)), 2))


def _varied_folder(folder: Path, n: int, offset: int = 0) -> Path:
    """``n`` distinct TXT documents (at most 15): each a different pair of passages."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        k = offset + i
        a, b = (PASSAGES[j] for j in PAIRS[k])
        (folder / ("tl-%03d.txt" % k)).write_text(_doc(k, ["Văn bản thứ %d trong hồ sơ %d." % (k, k * 37), a, b]),
                                                  "utf-8")
    return folder


def _statements(ingest: Callable[..., dict[str, Any]], folder: Path) -> int:
    with CaptureQueriesContext(connection) as captured:
        summary = ingest(folder, channel="test")
    assert summary["imported"] == len(list(folder.iterdir())) and summary["failed"] == 0
    return len(captured.captured_queries)


def test_statements_per_document_stay_bounded(ingest: Callable[..., dict[str, Any]], tmp_path: Path) -> None:
    # Measured on SQLite with the tests' task backend: 43 statements per born-digital TXT document from file to
    # search index; the code before the one-transaction chain sent 69. The fixed part is paid once.
    five = _statements(ingest, _varied_folder(tmp_path / "five", 5))
    ten = _statements(ingest, _varied_folder(tmp_path / "ten", 10, offset=5))
    per_doc = (ten - five) / 5
    assert per_doc <= 47, (five, ten)
    assert ten <= 10 * 47 + 40, (five, ten)


def test_chain_runs_the_cheap_steps_in_one_transaction_with_the_same_outcome() -> None:
    text = _doc(3, PASSAGES[:3]).encode()
    result = item_ingest_bytes(data=text, name="bc-3.txt", source="test", options=IngestOptions(channel="test"))
    assert result.item is not None
    work = run_step(result.item.pk, "identify", defer_index=True)
    assert (work.reached, work.held_for_index) == ("index", [result.item.pk])
    item = Item.objects.get(pk=result.item.pk)
    assert item.symbol == "4-BC/ĐU" and item.doc_type_code == "BC" and item.page_count == 1
    assert item.minhash and item.reliability == Reliability.BORN_DIGITAL and item.date_earliest.isoformat() == "2020-05-04"
    assert [s for s in ("identify", "extract", "ocr", "describe", "deduplicate") if item.stages[s]["status"] in
            ("done", "skipped")] == ["identify", "extract", "ocr", "describe", "deduplicate"]
    kinds = list(ItemEvent.objects.filter(item=item).order_by("pk").values_list("kind", flat=True))
    assert kinds == ["ingested", "identified", "extracted", "described", "deduplicated"]
    # the place index follows the item's places
    assert set(ItemPlace.objects.filter(item=item).values_list("name", flat=True)) == {
        p["name"] for p in item.places}
    assert "Cam Lâm" in {p["name"] for p in item.places}


def test_chain_failure_is_recorded_at_the_failing_step(tmp_path: Path) -> None:
    # A DOCX that is not one: identify sees a ZIP, extract fails. The chain rolls back and the steps run one
    # by one, so the item records identify done and extract failed, as without the chain.
    result = item_ingest_bytes(data=b"PK\x03\x04" + b"\x00" * 200, name="hong.docx", source="test",
                               options=IngestOptions(channel="test"))
    assert result.item is not None
    run_step(result.item.pk, "identify")
    item = Item.objects.get(pk=result.item.pk)
    assert item.status == ItemStatus.FAILED and item.stage != "done"
    failed = [name for name, state in item.stages.items() if state["status"] == "failed"]
    assert failed == [item.stage]
    assert ItemEvent.objects.filter(item=item, kind=ItemEvent.Kind.FAILED).count() == 1


def test_staff_correction_made_before_the_chain_is_kept(tmp_path: Path) -> None:
    from django.contrib.auth import get_user_model

    text = _doc(7, PASSAGES[1:3]).encode()
    result = item_ingest_bytes(data=text, name="bc-7.txt", source="test", options=IngestOptions(channel="test"))
    assert result.item is not None
    admin = get_user_model().objects.create_superuser("quantri", password="x-x-x-x-1")  # noqa: S106
    item_update(item=Item.objects.get(pk=result.item.pk), by=admin, fields={"title": "Tên do người sửa"})
    run_step(result.item.pk, "identify")
    item = Item.objects.get(pk=result.item.pk)
    assert item.title == "Tên do người sửa" and item.status == ItemStatus.DONE


def test_dedup_finds_exact_and_near_copies_in_a_varied_set(ingest: Callable[..., dict[str, Any]],
                                                           tmp_path: Path) -> None:
    folder = _varied_folder(tmp_path / "set", 6)
    original = (folder / "tl-002.txt").read_text("utf-8")
    (folder / "copy-of-2.txt").write_text(original, "utf-8")  # exact: the same bytes
    words = original.split(" ")
    del words[40]
    words[60], words[61] = words[61], words[60]
    (folder / "near-2.html").write_text(samples.make_article_html("Báo cáo", " ".join(words).split("\n")), "utf-8")
    summary = ingest(folder, channel="test")
    assert (summary["seen"], summary["imported"], summary["duplicates"], summary["failed"]) == (8, 7, 1, 0)
    ids = {Path(row["path"]).name: row["id"] for row in summary["items"]}
    assert ids["copy-of-2.txt"] == ids["tl-002.txt"]
    pairs = {frozenset(p) for p in DuplicateCandidate.objects.values_list("item_id", "other_id")}
    assert frozenset((ids["near-2.html"], ids["tl-002.txt"])) in pairs
    # distinct documents sharing one passage of three are not near-duplicates
    assert len(pairs) == 1, pairs


def test_ingest_json_counts_a_folder_exactly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _varied_folder(tmp_path / "mixed", 4)
    sub = folder / "con"
    sub.mkdir()
    (sub / "ban-sao.txt").write_bytes((folder / "tl-001.txt").read_bytes())
    samples.make_docx(sub / "bao-cao.docx", ["BÁO CÁO", PASSAGES[4]])
    (sub / "trang.html").write_text(samples.make_article_html("Tin <script>alert(1)</script>", [PASSAGES[5]]),
                                    "utf-8")
    (sub / "hong.pdf").write_bytes(b"%PDF-1.4 not really")
    call_command("ingest", str(folder), "--json", "--no-progress")
    out = json.loads(capsys.readouterr().out)
    assert (out["seen"], out["imported"], out["duplicates"], out["failed"]) == (8, 6, 1, 1)
    assert out["by_type"] == {"txt": {"seen": 5, "imported": 4, "duplicates": 1, "failed": 0},
                              "docx": {"seen": 1, "imported": 1, "duplicates": 0, "failed": 0},
                              "html": {"seen": 1, "imported": 1, "duplicates": 0, "failed": 0},
                              "pdf": {"seen": 1, "imported": 0, "duplicates": 0, "failed": 1}}
    assert out["peak_rss_mb"] > 0 and out["cpu_seconds"] > 0 and out["wall_seconds"] > 0
    assert len(out["items"]) == 7 and len(out["failures"]) == 1
