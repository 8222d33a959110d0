"""Small documents for the search tests, indexed straight into the configured backend."""

from __future__ import annotations

import datetime as dt
from typing import Any

from search.backends import get_backend
from search.documents import SearchDocument, SearchPage

SAMPLE = [
    dict(id=1, title="Kế hoạch tổ chức kỷ niệm 90 năm ngày thành lập Đảng", symbol="98-KH/TU", doc_type="Kế hoạch",
         doc_type_code="KH", issuer="Tỉnh ủy Khánh Hòa", issuer_code="TU", date_from=dt.date(2018, 2, 3),
         pages=["Ban Thường vụ Tỉnh ủy ban hành kế hoạch tổ chức các hoạt động kỷ niệm.",
                "Ủy ban nhân dân tỉnh phối hợp tổ chức mít tinh tại quảng trường."]),
    dict(id=2, title="Báo cáo bàn giao tài sản của xã", doc_type="Báo cáo", doc_type_code="BC",
         issuer="Ủy ban nhân dân xã", issuer_code="UBND", date_from=dt.date(2019, 5, 1),
         pages=["Việc bàn giao tài sản được thực hiện theo Kế hoạch số 98-KH/TU."]),
    dict(id=3, title="Thông báo bán đấu giá tài sản", doc_type="Thông báo", doc_type_code="TB",
         date_from=dt.date(2020, 1, 10), pages=["Tổ chức bán đấu giá tài sản thanh lý của xã."]),
    dict(id=4, title="Lịch sử Đảng bộ xã Cam Lâm", doc_type="Sách", date_from=dt.date(2015, 9, 2),
         pages=["Chi bộ Đảng đầu tiên của xã ra đời năm 1930.", "Đảng bộ xã lãnh đạo nhân dân khởi nghĩa năm 1945."]),
    dict(id=5, title="Ghi chép về ủy viên và ban chấp hành", date_from=dt.date(2001, 1, 1),
         pages=["Ông là ủy viên thường trực, sau đó làm trưởng ban tuyên giáo."]),
    dict(id=6, title="Tài liệu <script>alert(1)</script> lạ", date_from=dt.date(2010, 1, 1),
         pages=["Văn bản có <b>thẻ</b> & <img src=x onerror=alert(1)> lạ trong nội dung."]),
]


def make_doc(spec: dict[str, Any], **over: Any) -> SearchDocument:
    spec = {**spec, **over}
    pages = [SearchPage(n, text) for n, text in enumerate(spec.pop("pages", []), 1)]
    return SearchDocument(pages=pages, **spec)


def index_sample(backend: Any = None, **over: Any) -> Any:
    backend = backend or get_backend()
    backend.index([make_doc(s, **over) for s in SAMPLE])
    return backend
