"""What the born-digital speed work (issue 11, stop 16) changed keeps behaving as before: protected roots cached per
settings, rows written with plain values as the fields would prepare them, MinHash scheme 2 and the re-signing of
stored scheme-1 signatures, HTML metadata read from the page's own tags."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import itertools
import random
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.utils.translation import gettext_lazy

from archive import safepaths, samples
from archive.models import DuplicateCandidate, IngestRecord, Item, ItemEvent, ItemReference, TextBand
from archive.pipeline import neardup
from archive.records import rows_insert_many

from .conftest import KH98

# --- protected roots: resolved once per settings ---------------------------------------------------------------


def test_protected_roots_resolved_once_and_follow_the_settings(tmp_path, monkeypatch, settings) -> None:  # type: ignore[no-untyped-def]
    calls = []
    real = safepaths.os.path.realpath

    def counting(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(safepaths.os.path, "realpath", counting)
    first = safepaths.protected_roots()
    resolved = len(calls)
    assert safepaths.protected_roots() == first and len(calls) == resolved  # second call: no realpath at all
    other = tmp_path / "other-data"
    other.mkdir()
    (tmp_path / "link").symlink_to(other)
    with override_settings(DATA_DIR=str(tmp_path / "link")):
        moved = safepaths.protected_roots()
        assert other.resolve() in moved and other.resolve() not in first  # the new value, resolved
        assert safepaths.is_protected(other.resolve() / "x.txt")
        assert len(calls) > resolved
    assert safepaths.protected_roots() == first
    roots = safepaths.protected_roots()
    roots.append(Path("/"))  # a caller changing its list does not change the cache
    assert safepaths.protected_roots() == first


def test_the_data_directory_is_still_refused_with_the_cache(tmp_path, settings) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    (data / "objects").mkdir(parents=True)
    secret = data / "objects" / "secret.txt"
    secret.write_text("khóa bí mật", encoding="utf-8")
    safepaths.protected_roots()  # cached for the old settings
    with override_settings(DATA_DIR=str(data)):
        found = list(safepaths.walk(data))
        assert [type(f) for f in found] == [safepaths.Refused]
        with pytest.raises(safepaths.Refusal):
            safepaths.open_regular(secret, root=tmp_path)


# --- rows written with plain values ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_rows_insert_many_stores_what_bulk_create_stores(tmp_path, ingest) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("\n".join(KH98), encoding="utf-8")
    ingest(folder)
    item = Item.objects.get()
    user = get_user_model().objects.create_user("lan", password="x")  # noqa: S106

    def events(tag: str) -> list[ItemEvent]:
        return [
            ItemEvent(item=item, kind=ItemEvent.Kind.DESCRIBED, outcome="warning", detail=tag + " <script>x</script>",
                      data={"n": 1, "t": "Đảng"}, agent="vntext"),
            ItemEvent(item=item, kind=ItemEvent.Kind.EXTRACTED, detail=gettext_lazy("%s trang") % tag, by=user,
                      data={}, agent=tag),
            ItemEvent(item_id=item.pk, kind="ingested", detail="", data=[1, 2], agent=tag),
        ]

    def references(tag: str) -> list[ItemReference]:
        return [ItemReference(source=item, symbol=tag + "-1", type_code="KH", type_name="Kế hoạch", issuer_code="TU",
                              date=dt.date(2022, 8, 18), target=item),
                ItemReference(source=item, symbol=tag + "-2", type_code="", type_name="", issuer_code="", date=None,
                              target_id=None)]

    def records(tag: str) -> list[IngestRecord]:
        return [IngestRecord(item=item, blob=item.original, channel="cli", source="/x/" + tag, name="tên.txt",
                             outcome=IngestRecord.Outcome.DUPLICATE, by=user),
                IngestRecord(channel="cli", source="/y/" + tag, name="hỏng", outcome="failed", error="lỗi")]

    for make in (events, references, records):
        model = type(make("a")[0])
        fields = [f.attname for f in model._meta.concrete_fields if not f.primary_key]

        def written(write, tag, model=model, make=make, fields=fields):  # type: ignore[no-untyped-def]
            before = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            write(make(tag))
            return [tuple(v.replace(tag, "*") if isinstance(v, str) else v for v in row)
                    for row in model.objects.filter(pk__gt=before).order_by("pk").values_list(*fields)]

        old = written(rows_insert_many, "old")
        new = written(model.objects.bulk_create, "new")
        assert len(old) == 3 if model is ItemEvent else len(old) == 2
        auto = [i for i, name in enumerate(fields) if name in ("created_at", "at")]  # auto dates: set, not equal
        assert all(old_row[i] is not None for old_row in old for i in auto)
        strip = [i for i in range(len(fields)) if i not in auto]
        assert [[row[i] for i in strip] for row in old] == [[row[i] for i in strip] for row in new], model.__name__


# --- MinHash scheme 2 ------------------------------------------------------------------------------------------


def _words(rng: random.Random, n: int) -> list[str]:
    syllables = ["đảng", "bộ", "xã", "cam", "lâm", "lịch", "sử", "kháng", "chiến", "nhân", "dân", "tỉnh", "ủy",
                 "khánh", "hòa", "công", "tác", "biên", "soạn", "năm", "ngày", "tháng", "chi", "hội", "cựu"]
    return [rng.choice(syllables) for _ in range(n)]


def _shingles(text: str) -> set[str]:
    folded = neardup.folded_text(text)
    return {folded[i:i + 5] for i in range(len(folded) - 4)}


def test_scheme_2_estimates_the_jaccard_similarity_without_bias() -> None:
    """Texts with a known share of changed words: scheme 2's estimate is near the true Jaccard similarity of the
    shingles (mean error and bias small), over pairs from unrelated to identical."""
    rng = random.Random(11)
    errors = []
    for _ in range(120):
        words = _words(rng, rng.randint(80, 600))
        other = list(words)
        for i in rng.sample(range(len(other)), int(len(other) * rng.uniform(0, 0.5))):
            other[i] = rng.choice(["mới", "sửa", "khác", "thêm"])
        a, b = " ".join(words), " ".join(other)
        true = len(_shingles(a) & _shingles(b)) / len(_shingles(a) | _shingles(b))
        sa, sb = neardup.text_signature(a), neardup.text_signature(b)
        assert sa is not None and sb is not None and len(sa) == neardup.NUM_PERM
        errors.append(neardup.similarity(sa, sb) - true)
    assert abs(sum(errors) / len(errors)) < 0.03
    assert sum(abs(e) for e in errors) / len(errors) < 0.07


def test_scheme_2_signature_properties() -> None:
    rng = random.Random(5)
    text = " ".join(_words(rng, 300))
    signature = neardup.text_signature(text)
    assert signature == neardup.text_signature(text)  # deterministic
    assert signature == neardup.text_signature("  " + text.replace(" ", " \n\t ") + "\n")  # white space folded
    assert signature == neardup.text_signature(text.upper())  # case folded as vntext folds it
    assert all(0 <= v < 2 ** 32 for v in signature)
    assert neardup.text_signature("quá ngắn") is None and neardup.text_signature("x" * 199) is None
    # a shingle repeated changes nothing: the signature is of the set of shingles
    assert neardup.text_signature(text + " " + text[:100]) == neardup.text_signature(text + " " + text[:100] * 3)
    # a text longer than one chunk of shingles gives what it would in one piece
    long_text = " ".join(_words(rng, 12000))
    assert len(long_text) > 2 * neardup._CHUNK
    chunked = neardup.text_signature(long_text)
    original = neardup._CHUNK
    try:
        neardup._CHUNK = 1 << 30
        assert neardup.text_signature(long_text) == chunked
    finally:
        neardup._CHUNK = original
    # non-Latin text is signed too (code points, not bytes)
    assert neardup.text_signature("漢字文書 " * 60) is not None
    with pytest.raises(ValueError):
        neardup.text_signature(text, scheme=9)


def test_band_keys_of_the_two_schemes_never_meet() -> None:
    rng = random.Random(2)
    keys1, keys2 = set(), set()
    for _ in range(20):
        text = " ".join(_words(rng, 200))
        keys1.update(neardup.band_keys(neardup.text_signature(text, scheme=1), scheme=1))
        keys2.update(neardup.band_keys(neardup.text_signature(text, scheme=2), scheme=2))
    assert keys1 and keys2 and not keys1 & keys2
    assert all(k.startswith("2/") and len(k) <= 40 for k in keys2)
    assert not any("/" in k for k in keys1)  # scheme 1's keys as they were stored


def _near_copy(lines: list[str]) -> list[str]:
    changed = list(lines)
    changed[-1] = "Nguyễn Khắc Toàn (bản sao lưu tại Văn phòng)"
    return changed


@pytest.mark.django_db
def test_migration_resigns_stored_scheme_1_items_and_their_near_copies_are_still_found(tmp_path, ingest) -> None:  # type: ignore[no-untyped-def]
    """Items signed with scheme 1 (before the upgrade) are re-signed by migration 0005 with progress; a near copy
    ingested afterwards (scheme 2) is paired with the old item, and the old pairs stay."""
    from django.apps import apps

    folder = tmp_path / "old"
    folder.mkdir()
    samples.make_docx(folder / "kh98.docx", KH98)
    (folder / "ct20.txt").write_text("\n".join(KH98[:4] + ["Nội dung khác hẳn về đoàn thanh niên."] * 8),
                                     encoding="utf-8")
    ingest(folder)
    old = list(Item.objects.order_by("pk"))
    # as a scheme-1 archive stored them: signatures, schemes and bands of scheme 1
    for item in old:
        text = "\n".join(item.pages.order_by("n").values_list("text", flat=True))
        signature = neardup.text_signature(text, scheme=1)
        Item.objects.filter(pk=item.pk).update(minhash=signature, minhash_scheme=None if signature is None else 1)
        TextBand.objects.filter(item=item).delete()
        if signature is not None:
            TextBand.objects.bulk_create(TextBand(item=item, key=k) for k in neardup.band_keys(signature, scheme=1))
    signed = [i.pk for i in old if Item.objects.get(pk=i.pk).minhash is not None]
    assert signed
    migration = importlib.import_module("archive.migrations.0005_minhash_scheme")
    out = io.StringIO()
    migration.resign(apps, None, out=out)
    assert "%d/%d items" % (len(signed), len(signed)) in out.getvalue()
    for pk in signed:
        item = Item.objects.get(pk=pk)
        text = "\n".join(item.pages.order_by("n").values_list("text", flat=True))
        assert item.minhash_scheme == neardup.SCHEME and item.minhash == neardup.text_signature(text)
        assert sorted(TextBand.objects.filter(item=item).values_list("key", flat=True)) == sorted(
            neardup.band_keys(item.minhash))
    out = io.StringIO()
    migration.resign(apps, None, out=out)  # nothing left to do: silent
    assert out.getvalue() == ""
    new = tmp_path / "new"
    new.mkdir()
    samples.make_odt(new / "kh98-sao.odt", _near_copy(KH98))
    summary = ingest(new)
    copy = Item.objects.get(pk=summary["items"][0]["id"])
    pair = DuplicateCandidate.objects.get(item=copy)
    assert pair.other_id == Item.objects.get(original_name="kh98.docx").pk and pair.score >= neardup.NEAR_THRESHOLD
    assert copy.minhash_scheme == neardup.SCHEME


@pytest.mark.django_db
def test_near_copies_paired_with_scheme_2_and_others_not(tmp_path, ingest) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "in"
    folder.mkdir()
    samples.make_docx(folder / "a.docx", KH98)
    samples.make_odt(folder / "b.odt", _near_copy(KH98))
    rng = random.Random(9)
    (folder / "c.txt").write_text(" ".join(_words(rng, 400)), encoding="utf-8")
    ingest(folder)
    pairs = list(DuplicateCandidate.objects.values_list("item__original_name", "other__original_name"))
    assert pairs == [("b.odt", "a.docx")]
    assert set(Item.objects.values_list("minhash_scheme", flat=True)) == {neardup.SCHEME}
    assert all(len(k) <= 40 for k in TextBand.objects.values_list("key", flat=True))
    assert not list(itertools.islice(TextBand.objects.exclude(key__startswith="2/"), 1))


# --- HTML: the same text, the metadata from the page's own tags --------------------------------------------------


def _html_before(data: bytes) -> tuple[str, dict[str, object]] | None:
    """What ``formats.extract_html`` returned before stop 16 (trafilatura's full metadata pass), as reference."""
    import trafilatura

    from archive import formats

    doc = trafilatura.bare_extraction(formats.decode_text(data), with_metadata=True, include_comments=False,
                                      include_tables=True, favor_precision=True, fast=True,
                                      date_extraction_params={"extensive_search": False, "original_date": True})
    if doc is None:
        return None
    meta = {key: getattr(doc, key) for key in ("title", "author", "date", "url", "sitename", "description")
            if getattr(doc, key, None)}
    tags = doc.tags or doc.categories
    if tags:
        meta["tags"] = list(tags)
    return (doc.text or "").strip(), meta


def _html_now(data: bytes) -> tuple[str, dict[str, object]] | None:
    from archive import formats

    try:
        extracted = formats.extract_html(data)
    except formats.BadInput:
        return None
    return extracted.pages[0].text, extracted.metadata


def _pages() -> list[tuple[str, bytes]]:
    from vntext.tests.data.real import refs_real

    passages = [text for _source, text, _labels in refs_real.PASSAGES]
    pages = [(str(p), p.read_bytes()) for p in sorted(Path(__file__).resolve().parents[2].glob("*/demo_data/*.html"))]
    assert len(pages) >= 4
    rng = random.Random(4)
    kinds = [("", "", ""), ("2020-02-03", "Minh Anh", ""), ("2021-10-22T08:00:00+07:00", "Nguyễn Văn An",
                                                            "https://btgtu.example.vn/tin/1"),
             ("", "Trần Thị Bình", "/tin-tuc/2"), ("2019-05-19", "", "//btg.example.vn/a")]
    for i in range(40):
        date, author, url = kinds[i % len(kinds)]
        body = rng.sample(passages, rng.randint(1, 6)) + ["<script>alert('x')</script> & <b>đậm</b>"] * (i % 2)
        html = samples.make_article_html("Tin số %d: %s" % (i, body[0][:60]), body, date=date, author=author, url=url)
        pages.append(("sample-%d" % i, html.encode()))
    pages.append(("xss", "<html><head><title>Tin &lt;script&gt;</title></head><body><article><h1>Tin thử</h1><p>"
                         "Nội dung của tin thử nghiệm, đủ dài để giữ lại, nội dung dài thêm nữa để trafilatura giữ "
                         "đoạn này.</p></article></body></html>".encode()))
    pages.append(("tags", ('<html><head><title>Lễ kỷ niệm | Báo Khánh Hòa</title><meta name="keywords" content='
                           '"lịch sử, Đảng bộ"><meta name="description" content="Tóm tắt"><script type="application/'
                           'ld+json">{"@type": "NewsArticle", "headline": "Lễ kỷ niệm ngày thành lập", "datePublished":'
                           ' "2022-08-18", "author": {"@type": "Person", "name": "Lê Văn Cường"}}</script></head>'
                           '<body><article><p>' + passages[0] + "</p></article></body></html>").encode()))
    return pages


def test_html_text_identical_and_metadata_from_the_tags() -> None:
    """On the demo pages, 40 news pages of real passages (with every kind of metadata, hostile text), JSON-LD and
    keyword pages: the text is exactly what it was; the metadata too, except an author that only a one-word byline
    in the body gave (trafilatura searched the body for it; the page's tags are read now)."""
    differences = []
    data_of = dict(_pages())
    for name, data in data_of.items():
        before, now = _html_before(data), _html_now(data)
        assert (before is None) == (now is None), name
        if before is None or now is None:
            continue
        assert now[0] == before[0], name
        if now[1] != before[1]:
            differences.append((name, before[1], now[1]))
    for name, before, now in differences:
        # only what trafilatura searched for in the body is gone: an author that a one-word byline gave
        # ("<p class=author><strong>An</strong>"), a date htmldate read in the title or text ("Ngày 11-11-2002"; the
        # describe step reads the text's dates itself); everything the page's tags say is as before
        gone = set(before) - set(now)
        assert gone and gone <= {"author", "date"} and set(now) <= set(before), name
        assert {k: v for k, v in before.items() if k not in gone} == now, name
        assert "author" not in gone or " " not in str(before["author"]), name
        assert "date" not in gone or str(before["date"])[:4] in name + data_of[name].decode(), name
    assert len(differences) <= 10


def test_html_metadata_fields() -> None:
    from archive import formats

    html = samples.make_article_html("Kỷ niệm 90 năm <script>x</script>", ["Nội dung chính của bài. " * 20],
                                     date="2020-02-03T08:00:00+07:00", author="Minh Anh",
                                     url="https://btgtu.example.vn/tin/90")
    meta = formats.extract_html(html.encode()).metadata
    assert meta == {"title": "Kỷ niệm 90 năm <script>x</script>", "author": "Minh Anh", "date": "2020-02-03",
                    "url": "https://btgtu.example.vn/tin/90", "sitename": "Ban Tuyên giáo Tỉnh ủy"}
    # <time datetime> when no <meta> date; an impossible or future date is not taken
    page = ("<html><head><title>T</title><meta name='date' content='2020-13-45'></head><body><article>"
            "<time datetime='3020-01-01'>x</time><time datetime='2018-01-18'>18/01/2018</time><p>"
            + "Nội dung chính của bài viết về lịch sử Đảng bộ. " * 10 + "</p></article></body></html>")
    assert formats.extract_html(page.encode()).metadata["date"] == "2018-01-18"
    ld = ('<html><head><title>T</title><script type="application/ld+json">{"@type": "NewsArticle", '
          '"dateModified": "2023-01-02", "datePublished": "2022-08-18T07:00:00+07:00"}</script></head><body><article>'
          "<p>" + "Nội dung chính của bài viết về lịch sử Đảng bộ. " * 10 + "</p></article></body></html>")
    assert formats.extract_html(ld.encode()).metadata["date"] == "2022-08-18"
    bare = "<html><body><article><p>" + "Chỉ có nội dung. " * 20 + "</p></article></body></html>"
    assert "date" not in formats.extract_html(bare.encode()).metadata


@pytest.mark.django_db
def test_rows_insert_returning_sets_ids_and_stores_what_bulk_create_stores() -> None:
    from archive.models import Blob, ItemPage
    from archive.records import rows_insert_returning
    from archive.services import IngestOptions, item_build

    blobs = Blob.objects.bulk_create([Blob(sha256="%064x" % i, size=i + 1) for i in range(140)])
    options = IngestOptions(metadata={"title": "Tiêu đề <script>", "keywords": ["lịch sử", "Đảng"],
                                      "date_earliest": dt.date(2020, 5, 4)}, kind="document")

    def items(first: int, n: int) -> list[Item]:
        return [item_build(blob=blobs[first + i], name="x-%d.txt" % i, options=options) for i in range(n)]

    ours, django = items(0, 70), items(70, 70)  # more than one statement's worth of rows on SQLite
    rows_insert_returning(ours)
    Item.objects.bulk_create(django)
    assert all(item.pk and not item._state.adding for item in ours)
    assert len({item.pk for item in ours}) == 70
    fields = [f.attname for f in Item._meta.concrete_fields
              if f.attname not in ("id", "created_at", "updated_at", "original_id")]
    for mine, theirs in zip(ours, django, strict=True):
        assert Item.objects.filter(pk=mine.pk).values_list(*fields).get() == \
            Item.objects.filter(pk=theirs.pk).values_list(*fields).get()
        assert Item.objects.get(pk=mine.pk).original_id == mine.original_id  # each id is its own row's
    pages = [ItemPage(item=ours[0], n=n, text="trang %d" % n) for n in (1, 2, 3)]
    rows_insert_returning(pages)
    assert [p.pk for p in pages] == list(ItemPage.objects.filter(item=ours[0]).order_by("n").values_list("pk", flat=True))


def test_similarities_equal_similarity_one_by_one() -> None:
    rng = random.Random(8)
    signature = [rng.getrandbits(32) for _ in range(neardup.NUM_PERM)]
    others = [[v if rng.random() < share else rng.getrandbits(32) for v in signature]
              for share in (0, 0.2, 0.5, 0.75, 0.8, 1.0)]
    assert neardup.similarities(signature, others) == [neardup.similarity(signature, o) for o in others]
    assert neardup.similarities(signature, []) == []
    short = [signature[:10]]  # a signature of another length: compared as similarity() compares it
    assert neardup.similarities(signature, short) == [neardup.similarity(signature, short[0])]


@pytest.mark.django_db
def test_duplicate_candidates_written_with_plain_values(tmp_path, ingest) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text("\n".join(KH98), encoding="utf-8")
    (folder / "b.txt").write_text("\n".join(_near_copy(KH98)), encoding="utf-8")
    ingest(folder)
    items = dict(Item.objects.values_list("original_name", "pk"))
    pair = DuplicateCandidate.objects.get()
    assert (pair.item_id, pair.other_id) == (items["b.txt"], items["a.txt"])
    assert isinstance(pair.score, float) and neardup.NEAR_THRESHOLD <= pair.score <= 1 and pair.created_at
    rows_insert_many([DuplicateCandidate(item_id=pair.item_id, other_id=pair.other_id, score=0.5)],
                     skip_conflicts=True)  # the pair exists: skipped, its score kept
    assert DuplicateCandidate.objects.get().score == pair.score
