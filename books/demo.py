"""Demo: a commune history citing the demo archive (the two web articles of the seed pages, the plans and the
scanned 1976 minutes), one chapter published, one in review, one in draft; a chronology; a thematic pack; the
review workflow (writer → editor → review council) on the books' tree. Idempotent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction

from archive.models import Item
from books.models import BookPage, BookStatus, Chronology, EntityKind, EventPrecision, Source, ThematicPack
from books.services import (
    book_create,
    books_index,
    chronology_create,
    division_add,
    entity_confirm,
    event_add,
    pack_create,
)
from orgs.roles import group_name

SLUG = "lich-su-dang-bo-xa-cam-lam"


def _item(name_part: str) -> Item | None:
    return Item.objects.filter(original_name__icontains=name_part, merged_into__isnull=True).order_by("pk").first()


def _cite(item: Item | None, locator: str = "", text: str = "", kind: str = "page",
          source: Source | None = None) -> dict[str, Any]:
    return {"type": "citation", "value": {"item": item.pk if item else None, "source": source.pk if source else None,
                                          "locator": locator, "locator_kind": kind, "text": text}}


def _p(text: str) -> dict[str, Any]:
    return {"type": "paragraph", "value": "<p>%s</p>" % text}


def ensure_workflow() -> Any:
    """Writer → editor (biên tập) → review council (hội đồng thẩm định) on the books' index page."""
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

    index = books_index()
    workflow, created = Workflow.objects.get_or_create(name="Thẩm định chương sách")
    if created:
        for order, (name, role) in enumerate((("Biên tập", "editor"), ("Hội đồng thẩm định", "reviewer"))):
            task = GroupApprovalTask.objects.create(name=name)
            task.groups.set([Group.objects.get_or_create(name=group_name(role))[0]])
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    WorkflowPage.objects.get_or_create(page=index, defaults={"workflow": workflow})
    _page_permissions(index)
    return workflow


def _page_permissions(index: Any) -> None:
    from wagtail.models import GroupPagePermission

    grants = {"compiler": ["add_page", "change_page"], "editor": ["add_page", "change_page", "publish_page"],
              "reviewer": ["change_page", "publish_page"]}
    from django.contrib.auth.models import Permission

    for role, codenames in grants.items():
        group, _ = Group.objects.get_or_create(name=group_name(role))
        for codename in codenames:
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=index, permission=permission)


def load_demo(context: dict[str, Any], log: Callable[[str], None]) -> None:
    admin = context["admin"]
    with transaction.atomic():
        workflow = ensure_workflow()
        if BookPage.objects.filter(slug=SLUG).exists():
            log("books: the demo book is there already")
            return
        _load(context, admin, workflow, log)


def _load(context: dict[str, Any], admin: Any, workflow: Any, log: Callable[[str], None]) -> None:
    from django.contrib.auth import get_user_model

    compiler = get_user_model().objects.filter(username="biensoan").first() or admin
    plan98 = _item("98-KH-TU")
    plan84 = _item("84-KH-TU")
    directive = _item("20-CT-TW-chi-thi")
    article = _item("khanh-hoa-so-ket")
    article_ld = _item("btg-lam-dong")
    scan = _item("bien-ban-hop-chi-bo-1976")
    notes = _item("ghi-chep-cam-lam")
    memoir = Source.objects.create(type=Source.Type.INTERVIEW, title="Hồi ức về ngày giải phóng xã Cam Lâm",
                                   authors=[{"family": "Nguyễn", "given": "Văn Ba"}], issued="2020-04-03",
                                   archive_location="Ban Tuyên giáo và Dân vận Tỉnh ủy, băng ghi âm số 12")
    history = Source.objects.create(type=Source.Type.BOOK, title="Lịch sử Đảng bộ tỉnh Khánh Hòa (1930–2005)",
                                    authors=[{"literal": "Ban Chấp hành Đảng bộ tỉnh Khánh Hòa"}],
                                    publisher="Nxb. Chính trị quốc gia", publisher_place="H.", issued="2010")
    book = book_create(by=admin, title="Lịch sử Đảng bộ xã Cam Lâm (1930–2025)", slug=SLUG,
                       subtitle="Sơ thảo (bản demo)", authors="Ban Chấp hành Đảng bộ xã Cam Lâm",
                       publisher="Nxb. Tổng hợp", publisher_place="Khánh Hòa", year=2026,
                       org_unit=context.get("propaganda"), book_status=BookStatus.REVIEW,
                       summary="Bản thảo minh họa: mọi chú thích dẫn về tài liệu trong kho.")
    book.save_revision(user=admin).publish(user=admin)
    part = division_add(by=admin, parent=book, kind="part", title="Phần thứ nhất. Thời kỳ 1930–1975", publish=True)
    ch1 = division_add(by=admin, parent=part, kind="chapter", title="Chương I. Vùng đất, con người Cam Lâm",
                       assignee=compiler, publish=True, body=[
                           _p("Xã Cam Lâm thuộc tỉnh Khánh Hòa, có truyền thống cách mạng từ những năm 1930[*]. "
                              "Trong kháng chiến, chi bộ Đảng xã lãnh đạo nhân dân đấu tranh giành chính quyền."),
                           _cite(None, "45", source=history),
                           _p("Sáng ngày 03 tháng 4 năm 1975, lực lượng vũ trang địa phương cùng nhân dân các thôn "
                              "nổi dậy giành chính quyền ở Cam Lâm."),
                           _cite(notes, "1"),
                           _cite(None, "", source=memoir),
                           _p("Ngay sau giải phóng, chi bộ xã Cam Lâm họp bàn việc ổn định đời sống nhân dân[*]."),
                           _cite(scan, "1"),
                       ])
    part2 = division_add(by=admin, parent=book, kind="part", title="Phần thứ hai. Thời kỳ đổi mới và hội nhập",
                         publish=True)
    ch2 = division_add(by=admin, parent=part2, kind="chapter",
                       title="Chương II. Công tác lịch sử Đảng theo Chỉ thị 20-CT/TW", assignee=compiler,
                       publish=True, body=[
                           _p("Chỉ thị số 20-CT/TW của Ban Bí thư yêu cầu tăng cường công tác nghiên cứu, biên soạn "
                              "lịch sử Đảng[*]."),
                           _cite(directive, "1"),
                           _p("Ngày 18/8/2022, Ban Thường vụ Tỉnh ủy Khánh Hòa ban hành Kế hoạch số 98-KH/TU về sơ "
                              "kết 05 năm thực hiện Chỉ thị[*]; báo chí địa phương đưa tin về hội nghị[*]."),
                           _cite(plan98, "1"),
                           _cite(article, ""),
                           _p("Kế hoạch số 84-KH/TU ngày 17/4/2018 đã cụ thể hóa Chỉ thị ở cấp tỉnh."),
                           _cite(plan84, "2"),
                           _cite(plan98, "2"),
                           _p("Các địa phương khác như Lâm Đồng cũng ban hành văn bản tương tự."),
                           _cite(article_ld, ""),
                       ])
    ch3 = division_add(by=admin, parent=part2, kind="chapter", title="Chương III. Xây dựng nông thôn mới (dự thảo)",
                       assignee=compiler, publish=False, body=[
                           _p("Chương đang được biên soạn; Cam Lâm đạt chuẩn nông thôn mới."),
                           _cite(plan98, "2"),
                       ])
    # Chapter II goes to review: a revision with changes, submitted into the workflow.
    ch2 = ch2.specific
    ch2.title = "Chương II. Công tác lịch sử Đảng theo Chỉ thị số 20-CT/TW"
    revision = ch2.save_revision(user=compiler)
    workflow.start(ch2, compiler)
    del revision, ch1, ch3
    for kind, name, aliases in ((EntityKind.PLACE, "Cam Lâm", []), (EntityKind.PLACE, "Khánh Hòa", ["Khánh Hoà"]),
                                (EntityKind.ORGANISATION, "Ban Thường vụ Tỉnh ủy Khánh Hòa", []),
                                (EntityKind.SUBJECT, "Chỉ thị 20-CT/TW", ["Chỉ thị số 20-CT/TW"])):
        entity_confirm(by=admin, book=book, kind=kind, name=name, aliases=aliases)
    chronology = _chronology(admin, book, {"plan98": plan98, "plan84": plan84, "directive": directive,
                                            "scan": scan, "notes": notes})
    pack_create(by=admin, title="Chuyên đề: 50 năm giải phóng xã Cam Lâm (1975–2025)", slug="50-nam-giai-phong-cam-lam",
                book=book, body=[
                    _p("Tài liệu sinh hoạt chi bộ tháng 4/2025."),
                    {"type": "quote", "value": {"text": "Sáng ngày 03 tháng 4 năm 1975, lực lượng vũ trang địa "
                                                        "phương cùng nhân dân các thôn nổi dậy giành chính quyền."}},
                    _cite(notes, "1"),
                    {"type": "chronology", "value": chronology.pk},
                    {"type": "chapter", "value": ch2.pk},
                ])
    log("books: demo book %r (1 chapter published, 1 in review, 1 draft), a chronology of %d events, a pack"
        % (book.title, chronology.events.count()))


def _chronology(admin: Any, book: BookPage, items: dict[str, Item | None]) -> Chronology:
    chronology = chronology_create(by=admin, title="Biên niên sự kiện xã Cam Lâm", book=book)

    def src(key: str, page: int = 1) -> list[dict[str, Any]]:
        item = items.get(key)
        return [{"item": item.pk, "page": page}] if item else []

    rows = [
        (dt.date(1930, 1, 1), dt.date(1930, 12, 31), EventPrecision.YEAR, "Năm 1930",
         "Những cơ sở cách mạng đầu tiên xuất hiện ở vùng Cam Lâm.", "Cam Lâm", "", []),
        (dt.date(1975, 4, 3), None, EventPrecision.DAY, "", "Nhân dân Cam Lâm nổi dậy giành chính quyền.",
         "Cam Lâm", "Lực lượng vũ trang địa phương", src("notes")),
        (dt.date(1976, 1, 1), dt.date(1976, 12, 31), EventPrecision.YEAR, "Năm 1976",
         "Chi bộ xã họp bàn việc ổn định đời sống nhân dân sau giải phóng.", "Cam Lâm", "Chi bộ xã Cam Lâm",
         src("scan")),
        (dt.date(2018, 1, 18), None, EventPrecision.DAY, "", "Ban Bí thư ban hành Chỉ thị số 20-CT/TW.", "Hà Nội",
         "Ban Bí thư", src("directive")),
        (dt.date(2018, 4, 17), None, EventPrecision.DAY, "",
         "Ban Thường vụ Tỉnh ủy ban hành Kế hoạch số 84-KH/TU thực hiện Chỉ thị 20.", "Khánh Hòa",
         "Ban Thường vụ Tỉnh ủy", src("plan84")),
        (dt.date(2022, 8, 18), None, EventPrecision.DAY, "",
         "Ban Thường vụ Tỉnh ủy ban hành Kế hoạch số 98-KH/TU sơ kết 05 năm thực hiện Chỉ thị 20.", "Khánh Hòa",
         "Ban Thường vụ Tỉnh ủy", src("plan98")),
        (dt.date(2025, 4, 1), dt.date(2025, 4, 30), EventPrecision.MONTH, "Tháng 4/2025",
         "Kỷ niệm 50 năm ngày giải phóng xã Cam Lâm.", "Cam Lâm", "Đảng ủy xã", []),
    ]
    for earliest, latest, precision, text_date, text, place, actors, sources in rows:
        event_add(by=admin, chronology=chronology, date_earliest=earliest, date_latest=latest, precision=precision,
                  date_text=text_date, text=text, place=place, actors=actors, sources=sources)
    return chronology


__all__ = ["ThematicPack", "load_demo"]
