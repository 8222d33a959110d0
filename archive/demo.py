"""Demo archive: a Party committee's fonds with web articles, born-digital documents, a scan and photos.

Everything goes through the same ingest path as ``sulieu ingest`` (files under archive/demo_data,
identical bytes every run, so a second run finds every file already there and adds nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from archive.ingest import ingest_sources, summarise
from archive.runner import run_until_done
from archive.services import IngestOptions, collection_get_or_create
from orgs.access import AccessLevel

DEMO_DATA = Path(__file__).resolve().parent / "demo_data"


def load_demo(context: dict[str, Any], log: Callable[[str], None]) -> None:
    admin = context["admin"]
    committee = context["committee"]
    fonds, _ = collection_get_or_create(
        by=admin, code="TU-KH", title="Phông Tỉnh ủy Khánh Hòa", kind="fonds", org_unit=committee,
        access=AccessLevel.PUBLIC, description="Tài liệu của Tỉnh ủy và các ban tham mưu (demo).")
    file_20, _ = collection_get_or_create(
        by=admin, code="TU-KH.01.2018.20", title="Hồ sơ thực hiện Chỉ thị số 20-CT/TW về công tác lịch sử Đảng",
        kind="file", parent=fonds, access=AccessLevel.PUBLIC, retention="01")
    press, _ = collection_get_or_create(
        by=admin, code="TU-KH.09", title="Tư liệu báo chí, trang thông tin điện tử", kind="series", parent=fonds,
        access=AccessLevel.PUBLIC)
    photos, _ = collection_get_or_create(
        by=admin, code="TU-KH.10", title="Ảnh tư liệu xã Cam Lâm", kind="series", parent=fonds,
        access=AccessLevel.PUBLIC)
    files = sorted(p for p in DEMO_DATA.iterdir() if p.is_file() and p.name != "metadata.csv")
    # The public can read the published directives, plans and the declassified 1976 scan; the report
    # and the working notes stay internal, so the demo shows both sides of the access rules.
    internal_names = {"45-BC-TU-bao-cao-so-ket.pdf"}
    documents = [p for p in files if p.suffix not in {".html", ".jpg"}]
    batches = [
        ([p for p in files if p.suffix == ".html"], press, AccessLevel.PUBLIC, ""),
        ([p for p in files if p.suffix == ".jpg"], photos, AccessLevel.PUBLIC, "photo"),
        ([p for p in documents if p.name not in internal_names and p.suffix != ".txt"], file_20,
         AccessLevel.PUBLIC, ""),
        ([p for p in documents if p.name in internal_names or p.suffix == ".txt"], file_20,
         AccessLevel.INTERNAL, ""),
    ]
    results = []
    for paths, collection, access, kind in batches:
        options = IngestOptions(by=context.get("archivist") or admin, collection=collection, access=access,
                                kind=kind, channel="demo")
        results += ingest_sources([str(p) for p in paths], options=options)
    log("archive: %d files registered, processing (OCR of a 2-page scan)…" % len(results))
    run_until_done([r.item.pk for r in results if r.item is not None])
    summary = summarise(results).as_dict()
    log("archive: %(imported)d imported, %(duplicates)d already there, %(failed)d failed" % summary)
