"""Books for the tests: archive items made through the archive's own pipeline, a book with chapters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from archive.models import Item
from books.models import BookPage
from books.services import book_create, division_add
from reading.tests.factories import make_text_item, make_tree


@dataclass
class Shelf:
    book: BookPage
    chapters: list[Any]
    plan: Item  # public, 98-KH/TU
    directive: Item  # public, 20-CT/TW
    report: Item  # internal to the commune
    file: Any


def cite(item: Any = None, locator: str = "", text: str = "", kind: str = "page") -> dict[str, Any]:
    return {"type": "citation", "value": {"item": item.pk if item is not None else None, "source": None,
                                          "locator": locator, "locator_kind": kind, "text": text}}


def para(html: str) -> dict[str, Any]:
    return {"type": "paragraph", "value": "<p>%s</p>" % html}


def make_items(world: Any) -> tuple[Item, Item, Item, Any]:
    _fonds, _series, file = make_tree()
    plan = make_text_item(
        ["TỈNH ỦY KHÁNH HÒA\nSố 98-KH/TU\nKhánh Hòa, ngày 18 tháng 8 năm 2022\nKẾ HOẠCH\nsơ kết 05 năm thực hiện "
         "Chỉ thị số 20-CT/TW về công tác lịch sử Đảng", "Trang hai: đình làng Cam Hải được tu bổ."],
        name="98-KH-TU.txt", collection=file)
    directive = make_text_item("BAN BÍ THƯ\nSố 20-CT/TW\nHà Nội, ngày 18 tháng 01 năm 2018\nCHỈ THỊ\nvề tiếp tục "
                               "tăng cường, nâng cao chất lượng nghiên cứu, biên soạn lịch sử Đảng",
                               name="20-CT-TW.txt", collection=file)
    report = make_text_item("ĐẢNG ỦY XÃ\nSố 45-BC/ĐU\nBÁO CÁO mật về tình hình cơ sở năm 1975", name="45-BC.txt",
                            access="internal", org_unit=world.commune)
    return plan, directive, report, file


def make_shelf(world: Any, *, publish: bool = True) -> Shelf:
    plan, directive, report, file = make_items(world)
    book = book_create(by=world.superuser, title="Lịch sử Đảng bộ xã Cam Hải Đông", slug="cam-hai-dong",
                       authors="Ban Chấp hành Đảng bộ xã Cam Hải Đông", publisher="Nxb. Tổng hợp",
                       publisher_place="Khánh Hòa", year=2026)
    ch1 = division_add(by=world.superuser, parent=book, kind="chapter", title="Chương I. Vùng đất và con người",
                       publish=publish, body=[
                           para("Ngày 18/8/2022 Ban Thường vụ Tỉnh ủy ban hành kế hoạch[*] về công tác lịch sử Đảng "
                                "ở Cam Hải Đông."),
                           cite(plan, "2"),
                           para("Kế hoạch thực hiện Chỉ thị 20."),
                           cite(plan, "3"),
                           cite(directive, "1"),
                           para("Một báo cáo nội bộ."),
                           cite(report, "1", text="Báo cáo của Đảng ủy xã năm 1975"),
                           para("Lời kể của nhân chứng."),
                           cite(None, "", text="Lời kể của cụ Nguyễn Văn Ba, ghi năm 2020."),
                       ])
    ch2 = division_add(by=world.superuser, parent=book, kind="chapter", title="Chương II. Kháng chiến",
                       publish=publish, body=[para("Tiếp tục kế hoạch ở Cam Hải Đông."), cite(plan, "2")])
    return Shelf(book=book, chapters=[ch1, ch2], plan=plan, directive=directive, report=report, file=file)
