from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from archive import samples
from archive.models import DuplicateCandidate, Item, ItemEvent, ItemFile, ItemReference, PageTextVersion
from archive.tests.conftest import CT20, KH98
from vntext.legacy import encode_legacy

pytestmark = pytest.mark.django_db


def _born_digital(folder: Path) -> Path:
    folder.mkdir()
    samples.make_docx(folder / "kh-98.docx", KH98)
    samples.make_odt(folder / "ct-20.odt", CT20)
    samples.make_text_pdf(folder / "bao-cao.pdf", [[
        "ĐẢNG BỘ TỈNH KHÁNH HÒA", "Số 45-BC/TU", "Khánh Hòa, ngày 05 tháng 12 năm 2022", "BÁO CÁO",
        "sơ kết 05 năm thực hiện Chỉ thị số 20-CT/TW", "",
        "Thực hiện Kế hoạch số 98-KH/TU, các cấp ủy đã tổ chức sơ kết ở cơ sở, hoàn thành đúng tiến độ.",
    ]])
    (folder / "ghi-chep.txt").write_bytes(encode_legacy(  # a file typed with a TCVN3 (ABC) font
        "Ghi chép của cán bộ lưu trữ xã Cam Lâm về tư liệu lịch sử Đảng bộ năm 1975. Ghi chép của cán bộ.", "tcvn3"))
    (folder / "bai-viet.html").write_text(samples.make_article_html(
        "Khánh Hòa sơ kết 05 năm thực hiện Chỉ thị số 20-CT/TW",
        ["Ngày 18/8/2022, Ban Thường vụ Tỉnh ủy Khánh Hòa ban hành Kế hoạch số 98-KH/TU về sơ kết 05 năm "
         "thực hiện Chỉ thị số 20-CT/TW của Ban Bí thư về tiếp tục tăng cường công tác lịch sử Đảng.",
         "Kế hoạch đặt ra yêu cầu phải triển khai việc tổ chức sơ kết đồng bộ từ cơ sở đến cấp tỉnh, bảo đảm "
         "khách quan, toàn diện, đúng mục đích, yêu cầu và tiến độ đề ra."],
        date="2022-08-20", author="Lâm An", url="https://example.org/tin/so-ket-20-ct-tw"), "utf-8")
    return folder


def test_born_digital_formats_become_described_items(tmp_path, ingest):
    summary = ingest(_born_digital(tmp_path / "in"))
    assert (summary["seen"], summary["imported"], summary["duplicates"], summary["failed"]) == (5, 5, 0, 0)
    by_name = {Path(entry["path"]).name: Item.objects.get(pk=entry["id"]) for entry in summary["items"]}
    kh = by_name["kh-98.docx"]
    assert (kh.symbol, kh.doc_type_name, kh.issuer_code) == ("98-KH/TU", "Kế hoạch", "TU")
    assert kh.date_earliest.isoformat() == "2022-08-18" and kh.date_precision == "day"
    assert kh.title.startswith("Kế hoạch sơ kết 05 năm")
    assert kh.signer == "Nguyễn Khắc Toàn"
    assert {p["name"] for p in kh.places} >= {"Khánh Hòa"}
    assert by_name["ct-20.odt"].symbol == "20-CT/TW"
    assert "Cam Lâm" in by_name["ghi-chep.txt"].pages.get().text  # TCVN3 decoded
    assert by_name["bao-cao.pdf"].pages.get().text.startswith("ĐẢNG BỘ TỈNH KHÁNH HÒA")
    assert by_name["bao-cao.pdf"].pages.get().ocr_confidence is None  # text layer kept, no OCR
    web = by_name["bai-viet.html"]
    assert web.kind == "webpage" and web.symbol == ""
    text = web.pages.get().text
    assert "Ban Thường vụ Tỉnh ủy Khánh Hòa ban hành" in text
    for chrome in ("Tin khác cùng chủ đề", "Đang online", "Trang chủ", "Lượt xem"):
        assert chrome not in text
    assert web.title == "Khánh Hòa sơ kết 05 năm thực hiện Chỉ thị số 20-CT/TW"
    assert web.date_earliest.isoformat() == "2022-08-20"
    # references become links both ways, whatever the order of arrival
    ct = by_name["ct-20.odt"]
    assert set(ItemReference.objects.filter(target=ct).values_list("source__original_name", flat=True)) >= {
        "kh-98.docx", "bao-cao.pdf", "bai-viet.html"}
    assert ItemReference.objects.get(source=by_name["bao-cao.pdf"], symbol="98-KH/TU").target == kh
    assert all(item.status == "done" for item in by_name.values())
    assert set(kh.stages) == {"identify", "extract", "ocr", "describe", "deduplicate", "index"}


def test_second_ingest_links_duplicates_and_keeps_one_copy(tmp_path, ingest):
    folder = _born_digital(tmp_path / "in")
    ingest(folder)
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "ban-sao.docx").write_bytes((folder / "kh-98.docx").read_bytes())
    summary = ingest(folder, copy)
    assert (summary["seen"], summary["imported"], summary["duplicates"], summary["failed"]) == (6, 0, 6, 0)
    assert Item.objects.count() == 5
    item = Item.objects.get(original_name="kh-98.docx")
    assert item.ingest_records.count() == 3
    assert item.events.filter(kind=ItemEvent.Kind.DUPLICATE_RECEIVED).count() == 2


def test_ingest_command_json_summary_and_show(tmp_path, process):
    folder = _born_digital(tmp_path / "in")
    out = io.StringIO()
    call_command("ingest", str(folder), "--json", "--access", "public", stdout=out)
    summary = json.loads(out.getvalue())
    assert set(summary) == {"seen", "imported", "duplicates", "failed", "items", "failures", "by_type",
                            "wall_seconds", "cpu_seconds", "peak_rss_mb"}
    assert summary["imported"] == 5 and summary["failures"] == []
    item_id = next(e["id"] for e in summary["items"] if e["path"].endswith("kh-98.docx"))
    out = io.StringIO()
    call_command("show", str(item_id), "--json", stdout=out)
    shown = json.loads(out.getvalue())
    assert shown["symbol"] == "98-KH/TU" and shown["access"] == "public"
    assert shown["pages"][0]["n"] == 1 and "Chỉ thị số 20-CT/TW" in shown["pages"][0]["text"]
    assert shown["pages"][0]["ocr_confidence"] is None
    assert [e["kind"] for e in shown["events"]][:2] == ["ingested", "identified"]


def test_staff_correction_survives_rerun_and_text_versions_kept(tmp_path, ingest, world):
    from archive.services import item_update, page_text_correct
    from archive.tasks import item_step

    summary = ingest(_born_digital(tmp_path / "in"), org_unit=world.province)
    kh = Item.objects.get(pk=next(e["id"] for e in summary["items"] if e["path"].endswith("kh-98.docx")))
    item_update(item=kh, by=world.archivist, fields={"title": "Kế hoạch 98 (đã hiệu đính)", "symbol": "98-KH/TU"})
    page = kh.pages.get()
    page_text_correct(page=page, by=world.archivist, text=page.text + "\nGhi chú hiệu đính.")
    assert sorted(kh.locked_fields) == ["title"]  # symbol unchanged → not locked
    # run describe and extract again: corrections stay
    Item.objects.filter(pk=kh.pk).update(stage="extract", status="queued")
    item_step.enqueue(item_id=kh.pk, step="extract")
    from archive.runner import run_until_done

    run_until_done([kh.pk], poll=0.01)
    kh.refresh_from_db()
    assert kh.title == "Kế hoạch 98 (đã hiệu đính)"
    page.refresh_from_db()
    assert page.text.endswith("Ghi chú hiệu đính.")
    sources = list(page.versions.values_list("source", flat=True))
    assert sources[:2] == [PageTextVersion.Source.EXTRACTED, PageTextVersion.Source.CORRECTION]


def test_reader_cannot_correct_and_restricted_items_hidden(tmp_path, ingest, world):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from archive.selectors import access_item, item_list
    from archive.services import item_update

    summary = ingest(_born_digital(tmp_path / "in"), org_unit=world.province, access="restricted")
    item_id = summary["items"][0]["id"]
    with pytest.raises(Http404):
        access_item(world.reader, item_id)
    assert item_list(world.reader).count() == 0
    assert item_list(world.archivist).count() == 5
    with pytest.raises(PermissionDenied):
        item_update(item=Item.objects.get(pk=item_id), by=world.reader, fields={"title": "x"})


def test_near_duplicate_found_and_merged(tmp_path, ingest, world):
    from archive.services import duplicate_decide

    folder = tmp_path / "in"
    folder.mkdir()
    samples.make_docx(folder / "a.docx", KH98)
    samples.make_odt(folder / "b.odt", [*KH98[:-1], "Nguyễn Khắc Toàn (bản sao lưu tại Văn phòng)"])
    ingest(folder, org_unit=world.province)
    candidate = DuplicateCandidate.objects.get()
    assert candidate.score >= 0.8
    duplicate_decide(candidate=candidate, by=world.archivist, decision="merged")
    candidate.item.refresh_from_db()
    assert candidate.item.merged_into == candidate.other
    from archive.selectors import item_list

    assert item_list(world.archivist).count() == 1
    assert Item.objects.count() == 2  # nothing deleted


def test_metadata_csv_fills_and_locks_fields(tmp_path, ingest):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "anh.txt").write_text("Ảnh chụp lễ kỷ niệm.", "utf-8")
    (folder / "metadata.csv").write_text("file,title,keywords\nanh.txt,Lễ kỷ niệm 1975,kỷ niệm;1975\n", "utf-8")
    summary = ingest(folder)
    item = Item.objects.get(pk=summary["items"][0]["id"])
    assert item.title == "Lễ kỷ niệm 1975" and item.keywords == ["kỷ niệm", "1975"]
    assert "title" in item.locked_fields


def test_url_channel_fetches_and_extracts(monkeypatch, ingest):
    import urllib.request

    page = samples.make_article_html("Bài viết thử", ["Nội dung chính của bài viết về lịch sử Đảng bộ xã. " * 5])

    class Response(io.BytesIO):
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    seen = {}

    def fake_urlopen(request, timeout):
        seen["timeout"] = timeout
        return Response(page.encode("utf-8"))

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    summary = ingest("https://example.org/bai-viet")
    item = Item.objects.get(pk=summary["items"][0]["id"])
    assert item.kind == "webpage" and item.source_url == "https://example.org/bai-viet"
    assert "Nội dung chính" in item.pages.get().text and seen["timeout"] > 0
    assert item.files.filter(role=ItemFile.Role.ORIGINAL).get().blob.size == len(page.encode("utf-8"))


def test_minhash_signature_equals_datasketch():
    """The pipeline's MinHash (written out to skip importing datasketch) gives datasketch's values."""
    import random

    from datasketch import MinHash

    from archive.pipeline.neardup import NUM_PERM, minhash_values

    rng = random.Random(3)
    for n in (0, 1, 7, 500, 4000):
        shingles = [("%x" % rng.getrandbits(40)).encode() for _ in range(n)]
        reference = MinHash(num_perm=NUM_PERM, seed=7)
        reference.update_batch(shingles)
        assert minhash_values(shingles) == [int(v) for v in reference.hashvalues]


def test_deduplicate_again_keeps_the_recorded_pair_and_its_decision(tmp_path, ingest, world):
    from archive.pipeline.steps.deduplicate import STEP as deduplicate
    from archive.services import duplicate_decide

    folder = tmp_path / "in"
    folder.mkdir()
    samples.make_docx(folder / "a.docx", KH98)
    samples.make_odt(folder / "b.odt", [*KH98[:-1], "Nguyễn Khắc Toàn (bản sao lưu tại Văn phòng)"])
    ingest(folder, org_unit=world.province)
    candidate = DuplicateCandidate.objects.get()
    duplicate_decide(candidate=candidate, by=world.archivist, decision="kept")
    deduplicate.run(Item.objects.get(pk=candidate.item_id))
    again = DuplicateCandidate.objects.get()
    assert (again.pk, again.decision, again.score) == (candidate.pk, "kept", candidate.score)


def test_a_rerun_from_extract_keeps_one_row_per_page_reference_and_place(tmp_path, ingest):
    """The first run skips reading back pages, references and place rows (there are none yet); a re-run reads
    them and writes no second copy."""
    from archive.models import ItemPage, ItemPlace
    from archive.runner import run_until_done
    from archive.tasks import item_step

    summary = ingest(_born_digital(tmp_path / "in"))
    item = Item.objects.get(pk=next(e["id"] for e in summary["items"] if e["path"].endswith("bao-cao.pdf")))

    def rows() -> tuple[list, list, list]:
        return (sorted(ItemPage.objects.filter(item=item).values_list("n", "text")),
                sorted(ItemReference.objects.filter(source=item).values_list("symbol", "target_id")),
                sorted(ItemPlace.objects.filter(item=item).values_list("name", "access")))

    first = rows()
    assert first[0] and {"20-CT/TW", "98-KH/TU"} <= {symbol for symbol, _target in first[1]} and first[2]
    Item.objects.filter(pk=item.pk).update(stage="extract", status="queued")
    item_step.enqueue(item_id=item.pk, step="extract")
    run_until_done([item.pk], poll=0.01)
    assert rows() == first
    assert Item.objects.get(pk=item.pk).status == "done"
