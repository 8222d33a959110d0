"""TT 05/2025 CSV/XLSX: the annex's columns out, corrections back in through item_update."""

from __future__ import annotations

import csv

import pytest

from interop.tt05 import COLUMNS, Tt05Error, import_rows, read_table, rows_for, write_table

pytestmark = pytest.mark.django_db


@pytest.fixture
def file_(world):
    from archive.services import collection_create

    fonds = collection_create(by=world.superuser, title="Phông", kind="fonds", code="TU-KH", access="public")
    return collection_create(by=world.superuser, title="Hồ sơ", kind="file", code="TU-KH.01", parent=fonds,
                             access="public", retention="01")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_round_trip_with_the_annex_columns(world, make_item, file_, tmp_path, suffix):
    item = make_item("Kế hoạch 98", collection=file_, symbol="98-KH/TU", summary="=HYPERLINK(\"x\")")
    make_item("Nội bộ", collection=file_, access="internal")
    rows = rows_for(file_.parent, user=None)
    assert len(rows) == 1 and list(rows[0]) == COLUMNS
    assert rows[0]["Mã định danh tài liệu"] == str(item.pk)
    assert rows[0]["Mã lưu trữ tài liệu"] == "TU-KH.01.%07d" % item.pk
    assert rows[0]["Thời hạn lưu trữ"] == "01" and rows[0]["Mã phông"] == "TU-KH"
    path = tmp_path / ("meta" + suffix)
    write_table(rows, path)
    if suffix == ".csv":
        raw = path.read_text("utf-8-sig")
        assert "'=HYPERLINK" in raw  # no formula reaches a spreadsheet
    back = read_table(path)
    assert back[0]["Trích yếu nội dung"] == "=HYPERLINK(\"x\")"
    back[0]["Ký hiệu của tài liệu"] = "99-KH/TU"
    back[0]["Ngày, tháng, năm tài liệu"] = "2022-08-18"
    back[0]["Mức độ tiếp cận"] = "02"
    result = import_rows(back, by=world.superuser)
    assert (result.updated, result.failed) == (1, 0)
    item.refresh_from_db()
    assert item.symbol == "99-KH/TU" and item.access == "internal"
    assert item.date_earliest.isoformat() == "2022-08-18"
    assert "symbol" in item.locked_fields
    assert import_rows(back, by=world.superuser).unchanged == 1


def test_bad_rows_are_reported_and_change_nothing(world, make_item, file_, tmp_path):
    item = make_item("Kế hoạch", collection=file_)
    path = tmp_path / "bad.csv"
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["Mã định danh tài liệu", "Mức độ tiếp cận", "Tiêu đề"])
        writer.writerow([str(item.pk), "07", "Đổi tên"])
        writer.writerow(["999999", "01", "Không có"])
    result = import_rows(read_table(path), by=world.superuser)
    assert (result.updated, result.failed) == (0, 2)
    item.refresh_from_db()
    assert item.title == "Kế hoạch"
    assert import_rows(read_table(path), by=world.reader).failed == 2
    path.write_text("Tên,Tuổi\nA,1\n", "utf-8")
    with pytest.raises(Tt05Error, match="Mã định danh"):
        read_table(path)
