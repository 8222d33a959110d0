"""Books benchmark: a generated 500-page book (≈1.2 M characters, 2,000 footnotes citing archive items, 3,000
index entries) exported to DOCX + PDF + EPUB (target ≤ 60 s in total), and its DOCX imported back (≤ 30 s).

    .venv/bin/python bench/books/run.py [--chapters 50] [--paragraphs 40] [--entities 3000] [--items 60]

Runs in a fresh data directory (SQLite) unless SULIEU_DATA_DIR is set. Prints the figures and peak memory
(this process, and the largest child: pandoc).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Quang", "Ngọc", "Xuân", "Thu"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hùng", "Khánh", "Lan", "Long", "Mai", "Nam", "Nga",
         "Phong", "Phúc", "Quân", "Sơn", "Tâm", "Thành", "Thắng", "Trung", "Tuấn", "Việt", "Vinh", "Xuyến", "Yến",
         "Hòa", "Lộc", "Tiến"]
PLACE_WORDS = ["Phú", "Hòa", "An", "Bình", "Tân", "Lộc", "Phước", "Thạnh", "Mỹ", "Đông", "Tây", "Nam", "Bắc",
               "Trung", "Hải", "Sơn", "Xuân", "Vĩnh", "Long", "Thuận"]
FILLER = ("Trong giai đoạn này, Đảng bộ và nhân dân trong xã đã vượt qua nhiều khó khăn, thử thách, phát huy "
          "truyền thống cách mạng, đoàn kết một lòng xây dựng quê hương; công tác xây dựng Đảng, chính quyền và các "
          "đoàn thể được chú trọng, đời sống vật chất và tinh thần của nhân dân từng bước được nâng lên. ")


def setup() -> None:
    os.environ.setdefault("SULIEU_DATA_DIR", tempfile.mkdtemp(prefix="sulieu-bench-books-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sulieu.settings")
    import django

    django.setup()
    from sulieu.cli import ensure_database

    ensure_database(verbose=False)


def peak_mb() -> tuple[float, float]:
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return me, children


def make_items(n: int) -> list[int]:
    from archive.models import Item
    from archive.runner import run_until_done
    from archive.services import IngestOptions, collection_get_or_create, item_ingest_bytes

    fonds, _ = collection_get_or_create(by=None, code="BENCH", title="Phông thử nghiệm", kind="fonds",
                                        access="public")
    ids = []
    for i in range(n):
        text = ("ĐẢNG ỦY XÃ CAM LÂM\nSố %d-BC/ĐU\nCam Lâm, ngày %d tháng %d năm %d\nBÁO CÁO\nvề công tác %d\n%s"
                % (i + 1, 1 + i % 28, 1 + i % 12, 1975 + i % 45, i, FILLER * 3))
        result = item_ingest_bytes(data=text.encode(), name="bc-%04d.txt" % i, source="bench",
                                   options=IngestOptions(channel="bench", collection=fonds, access="public"))
        ids.append(result.item.pk)
    run_until_done(ids, poll=0.01)
    return list(Item.objects.filter(pk__in=ids).values_list("pk", flat=True))


def entity_names(n: int) -> list[tuple[str, str]]:
    names: list[tuple[str, str]] = []
    for f in FAMILY:
        for m in MIDDLE:
            for g in GIVEN:
                names.append(("person", "%s %s %s" % (f, m, g)))
    rng = random.Random(7)
    rng.shuffle(names)
    places = ["thôn %s %s" % (a, b) for a in PLACE_WORDS for b in PLACE_WORDS if a != b]
    people = names[: int(n * 0.8)]
    place_list = [("place", p) for p in places[: n - len(people)]]
    return people + place_list


def make_book(*, chapters: int, paragraphs: int, entities: list[tuple[str, str]], item_ids: list[int]) -> str:
    from django.contrib.auth import get_user_model

    from books.models import Entity
    from books.services import book_create, division_add

    admin = get_user_model().objects.create_superuser("bench", "bench@example.org", "x")
    book = book_create(by=admin, title="Lịch sử Đảng bộ xã (bản thử 500 trang)", slug="bench-book",
                       authors="Ban Chấp hành Đảng bộ xã", year=2026)
    rng = random.Random(1)
    e_index = 0
    for c in range(chapters):
        body = []
        for p in range(paragraphs):
            mentioned = []
            for _ in range(2):
                mentioned.append(entities[e_index % len(entities)][1])
                e_index += 1
            text = ("Năm %d, %s cùng cán bộ %s tham gia công tác ở địa phương. %s%s"
                    % (1945 + (c * paragraphs + p) % 80, mentioned[0], mentioned[1], FILLER * 2,
                       "Theo tài liệu lưu trữ[*], phong trào tiếp tục phát triển. " + FILLER))
            body.append({"type": "paragraph", "value": "<p>%s</p>" % text})
            body.append({"type": "citation", "value": {"item": rng.choice(item_ids), "source": None,
                                                       "locator": str(rng.randint(1, 3)), "locator_kind": "page",
                                                       "text": ""}})
        division_add(by=admin, parent=book, kind="chapter", title="Chương %d. Giai đoạn %d" % (c + 1, c + 1),
                     body=body, publish=True)
    Entity.objects.bulk_create([Entity(book=book, kind=k, name=n, confirmed=True) for k, n in entities])
    return book.slug


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chapters", type=int, default=50)
    parser.add_argument("--paragraphs", type=int, default=40)
    parser.add_argument("--entities", type=int, default=3000)
    parser.add_argument("--items", type=int, default=60)
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    setup()
    from books.document import build_book
    from books.importer import import_docx
    from books.models import BookPage
    from books.writers import write

    out_dir = Path(args.out or tempfile.mkdtemp(prefix="sulieu-bench-books-out-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    item_ids = make_items(args.items)
    print("setup: %d archive items ingested in %.1f s" % (len(item_ids), time.perf_counter() - t))
    t = time.perf_counter()
    slug = make_book(chapters=args.chapters, paragraphs=args.paragraphs, entities=entity_names(args.entities),
                     item_ids=item_ids)
    print("setup: book generated in %.1f s" % (time.perf_counter() - t))
    book = BookPage.objects.get(slug=slug)

    t = time.perf_counter()
    doc = build_book(book, user=None)
    build_s = time.perf_counter() - t
    chars = sum(len(b.html) for d in doc.divisions for b in d.blocks)
    print("book: %d chapters, %d characters of body HTML, %d footnotes, %d index entries (%d marked mentions)"
          % (len(doc.divisions), chars, len(doc.notes), len(doc.index), len(doc.mentions)))
    print("build (tree, CSL notes, index marks): %.1f s" % build_s)
    total = build_s
    results = {}
    for fmt in ("docx", "pdf", "epub"):
        t = time.perf_counter()
        path = write(doc, fmt, out_dir / ("book.%s" % fmt))
        seconds = time.perf_counter() - t
        total += seconds
        results[fmt] = path
        print("export %-4s %6.1f s  %6.1f MB" % (fmt, seconds, path.stat().st_size / 1e6))
    pages = None
    try:
        import subprocess

        info = subprocess.run(["pdfinfo", str(results["pdf"])], capture_output=True, text=True, check=True).stdout
        pages = next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), None)
    except (OSError, subprocess.CalledProcessError):
        pass
    with zipfile.ZipFile(results["docx"]) as z:
        footnotes = z.read("word/footnotes.xml").decode().count("<w:footnote ") - 2
    print("PDF pages: %s; DOCX footnotes: %d" % (pages, footnotes))
    print("TOTAL export (one build + DOCX + PDF + EPUB): %.1f s (target ≤ 60 s)" % total)

    t = time.perf_counter()
    from django.contrib.auth import get_user_model

    report = import_docx(path=results["docx"], book_slug="bench-import",
                         by=get_user_model().objects.get(username="bench"))
    seconds = time.perf_counter() - t
    data = report.to_dict()
    print("import DOCX: %.1f s (target ≤ 30 s): %d chapters, %d footnotes, %d linked"
          % (seconds, data["chapters"], data["footnotes"], data["linked"]))
    me, children = peak_mb()
    print("peak memory: this process %.0f MB, largest child (pandoc/weasyprint helpers) %.0f MB" % (me, children))
    print("load average: %.2f (2 cores shared)" % os.getloadavg()[0])
    print("files in %s" % out_dir)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
