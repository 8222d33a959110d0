from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

KH98 = [
    "TỈNH ỦY KHÁNH HÒA", "Số 98-KH/TU", "Khánh Hòa, ngày 18 tháng 8 năm 2022", "", "KẾ HOẠCH",
    "sơ kết 05 năm thực hiện Chỉ thị số 20-CT/TW của Ban Bí thư", "",
    "Thực hiện Chỉ thị số 20-CT/TW, ngày 18/01/2018 của Ban Bí thư và Kế hoạch số 84-KH/TU, ngày 17/4/2018 "
    "của Ban Thường vụ Tỉnh ủy về tiếp tục tăng cường, nâng cao chất lượng nghiên cứu, biên soạn, tuyên truyền, "
    "giáo dục lịch sử Đảng, Ban Thường vụ Tỉnh ủy xây dựng kế hoạch sơ kết như sau.",
    "T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "(đã ký)", "Nguyễn Khắc Toàn",
]
CT20 = [
    "BAN CHẤP HÀNH TRUNG ƯƠNG", "Số 20-CT/TW", "Hà Nội, ngày 18 tháng 01 năm 2018", "", "CHỈ THỊ",
    "của Ban Bí thư về tiếp tục tăng cường, nâng cao chất lượng nghiên cứu, biên soạn, tuyên truyền, giáo dục "
    "lịch sử Đảng", "",
    "Trong những năm qua, công tác nghiên cứu, biên soạn, tuyên truyền, giáo dục lịch sử Đảng được các cấp ủy quan tâm.",
]


@pytest.fixture
def process() -> Callable[..., None]:
    """Run the queued archive work of the given items (or of every unfinished item) in this process."""
    from archive.models import Item, ItemStatus
    from archive.runner import run_until_done

    def run(ids: list[int] | None = None) -> None:
        if ids is None:
            ids = list(Item.objects.filter(status__in=[ItemStatus.QUEUED, ItemStatus.PROCESSING])
                       .values_list("pk", flat=True))
        run_until_done(ids, poll=0.01)

    return run


@pytest.fixture
def ingest(process: Callable[..., None]) -> Callable[..., Any]:
    """Ingest paths like the CLI does and process them; returns the summary dict."""
    from archive.ingest import ingest_sources, summarise
    from archive.services import IngestOptions

    def run(*paths: Path | str, **options: Any) -> dict[str, Any]:
        results = ingest_sources([str(p) for p in paths], options=IngestOptions(**options))
        process([r.item.pk for r in results if r.item is not None])
        return summarise(results).as_dict()

    return run
