from __future__ import annotations

from typing import Any

import pytest

from portal.tests import factories


@pytest.fixture(autouse=True)
def _fake_ocr(settings: Any) -> None:
    settings.SULIEU_OCR_ENGINE = "reading.tests.factories.fake_ocr"


@pytest.fixture
def topic(db: Any) -> Any:
    return factories.make_topic()


@pytest.fixture
def documents(world: Any) -> dict[str, Any]:
    """Three archive documents, one per access level, owned by the province."""
    from reading.tests.factories import make_text_item

    made = {}
    for access, symbol, text in (
        ("public", "98-KH/TU", "Kế hoạch số 98-KH/TU về sơ kết 05 năm thực hiện Chỉ thị số 20-CT/TW."),
        ("internal", "45-BC/TU", "Báo cáo số 45-BC/TU sơ kết nội bộ, công tác lịch sử Đảng."),
        ("restricted", "7-CV/TU", "Công văn mật số 7-CV/TU về công tác bảo vệ chính trị nội bộ."),
    ):
        made[access] = make_text_item(text, name="%s.txt" % access, access=access, org_unit=world.province,
                                      title="Văn bản %s" % access, symbol=symbol, kind="document",
                                      doc_type_code=symbol.split("-")[1].split("/")[0],
                                      issuer_name="Tỉnh ủy Khánh Hòa")
    return made
