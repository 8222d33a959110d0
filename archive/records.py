"""The write helpers of the pipeline steps: events, stored bytes, derivative files, page texts, stage marks.

Nothing here checks a permission or enqueues work; the user operations in :mod:`archive.services` and the
steps in :mod:`archive.pipeline.steps` both write through these.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import AutoField, Model
from django.utils import timezone

from archive import storage
from archive.models import Blob, Item, ItemEvent, ItemFile, ItemPage, ItemReference, PageTextVersion, TextBand


@dataclass
class BatchWrites:
    """What the chains of one claimed batch share: the rows they leave, inserted together when the batch ends
    (:func:`archive.pipeline.engine.run_chains`), and the near-duplicate bands of the batch's items done so far
    (not in the database yet: the deduplicate step compares a document with them in memory)."""

    rows: list[Model] = field(default_factory=list)
    bands: dict[str, list[tuple[int, list[int]]]] = field(default_factory=dict)  # key -> (item id, signature)
    references: list[ItemReference] = field(default_factory=list)  # their targets found when the batch ends
    blob_mimes: dict[int, str] = field(default_factory=dict)
    band_rows: list[tuple[int, str]] = field(default_factory=list)  # (item id, key): the TextBand rows to insert

    def take(self, deferred: DeferredWrites) -> None:
        """An item's chain succeeded: its rows and bands join the batch's."""
        self.rows.extend(deferred.rows)
        self.references.extend(deferred.references)
        self.blob_mimes.update(deferred.blob_mimes)
        if deferred.bands is not None:
            item_id, keys, signature = deferred.bands
            for key in keys:
                self.bands.setdefault(key, []).append((item_id, signature))
                self.band_rows.append((item_id, key))


@dataclass
class DeferredWrites:
    """Writes of a chain of steps run in one transaction, made once at its end by the engine.

    Attached to the item object by :func:`writes_defer` (the steps receive only the item); without it every
    helper below writes at once. ``fields``: item fields the steps changed (None in the set: all of them);
    ``events``: unsaved events, inserted together; ``page_texts``: the pages' text as the extract step left
    it in this transaction, so that describe and deduplicate do not read it back.

    With ``batch`` (the chain is one of a claimed batch) a first run's new rows wait too: ``rows`` (pages,
    text versions, events, in insertion order), ``references`` (targets not looked up yet), ``bands``
    (this item's band keys and signature: its band rows), ``blob_mimes``; the engine hands them to the batch when the chain
    succeeds, and drops them when it fails.
    """

    fields: set[str | None] = field(default_factory=set)
    events: list[ItemEvent] = field(default_factory=list)
    page_texts: list[str] | None = None
    batch: BatchWrites | None = None
    rows: list[Model] = field(default_factory=list)
    references: list[ItemReference] = field(default_factory=list)
    bands: tuple[int, list[str], list[int]] | None = None
    blob_mimes: dict[int, str] = field(default_factory=dict)


def writes_defer(item: Item, batch: BatchWrites | None = None) -> DeferredWrites:
    deferred = DeferredWrites(batch=batch)
    item._deferred_writes = deferred  # type: ignore[attr-defined]
    return deferred


def writes_taken(item: Item) -> DeferredWrites | None:
    """Detach and return the deferred writes of ``item`` (None: it had none)."""
    deferred: DeferredWrites | None = getattr(item, "_deferred_writes", None)
    if deferred is not None:
        del item._deferred_writes  # type: ignore[attr-defined]
    return deferred


def _deferred(item: Item) -> DeferredWrites | None:
    return getattr(item, "_deferred_writes", None)


def batch_of(item: Item) -> BatchWrites | None:
    """The batch whose chains the item's chain is one of (None: rows are written at once)."""
    deferred = _deferred(item)
    return deferred.batch if deferred is not None else None


def rows_insert_many(rows: Sequence[Model], *, skip_conflicts: bool = False) -> None:
    """Insert rows of one model whose ids nobody reads back: one INSERT sent with ``executemany``.

    The values are prepared as ``bulk_create`` prepares them (related objects saved since, ``pre_save`` for
    auto dates, ``get_db_prep_save``), without its one big statement of placeholders: half its CPU per row
    (0.09 against 0.17 ms an event). A value that plain text, integer, boolean and foreign-key columns would
    return unchanged from ``get_db_prep_save`` (a ``str`` for text, an ``int`` for an integer…) is taken as it
    is (:func:`_column_readers`); every other value goes through the field as before. ``skip_conflicts``: rows
    breaking a unique constraint are skipped.
    """
    if not rows:
        return
    model = type(rows[0])
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, AutoField)]
    quote = connection.ops.quote_name
    sql = "INSERT INTO %s (%s) VALUES (%s)%s" % (  # noqa: S608 (table and column names only)
        quote(model._meta.db_table), ", ".join(quote(str(f.column)) for f in fields), ", ".join(["%s"] * len(fields)),
        " ON CONFLICT DO NOTHING" if skip_conflicts else "")
    readers = _column_readers(model, fields)
    params = [_row_values(row, readers) for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _row_values(row: Model, readers: list[tuple[Any, str, frozenset[type]]]) -> list[Any]:
    """A new row's column values as ``bulk_create`` prepares them: plain values as they are, others through
    their field."""
    row._prepare_related_fields_for_save(operation_name="bulk_create")  # type: ignore[attr-defined]
    values = []
    for field_, attname, plain in readers:
        value = getattr(row, attname)
        values.append(value if type(value) in plain else field_.get_db_prep_save(field_.pre_save(row, True),
                                                                                 connection))
    return values


def rows_insert_returning(rows: Sequence[Model]) -> None:
    """Insert new rows of one model and set their ids (``bulk_create`` on a database that returns bulk-insert
    ids), with the values prepared as :func:`rows_insert_many` prepares them: a multi-row ``INSERT … RETURNING``
    per batch of rows the database accepts. ``bulk_create`` spent ~4 ms per 50 items preparing their 40-odd
    columns through every field."""
    if not rows:
        return
    model = type(rows[0])
    pk = model._meta.pk
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, AutoField)]
    quote = connection.ops.quote_name
    readers = _column_readers(model, fields)
    one = "(%s)" % ", ".join(["%s"] * len(fields))
    size = max(1, connection.ops.bulk_batch_size(fields, rows))
    for start in range(0, len(rows), size):
        part = rows[start:start + size]
        params: list[Any] = [value for row in part for value in _row_values(row, readers)]
        sql = "INSERT INTO %s (%s) VALUES %s RETURNING %s" % (  # noqa: S608 (table and column names only)
            quote(model._meta.db_table), ", ".join(quote(str(f.column)) for f in fields),
            ", ".join([one] * len(part)), quote(str(pk.column)))
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            ids = [row[0] for row in cursor.fetchall()]
        if len(ids) != len(part):
            raise RuntimeError("the database returned %d ids for %d rows" % (len(ids), len(part)))
        for row, pk_value in zip(part, ids, strict=True):
            setattr(row, pk.attname, pk_value)
            row._state.adding = False
            row._state.db = connection.alias


_PLAIN_TEXT: frozenset[type] = frozenset({str, type(None)})
_PLAIN_INT: frozenset[type] = frozenset({int, type(None)})
_PLAIN_FLOAT: frozenset[type] = frozenset({float, type(None)})
_PLAIN_BOOL: frozenset[type] = frozenset({bool})
_PLAIN_BOOL_NULL: frozenset[type] = frozenset({bool, type(None)})
_NOTHING_PLAIN: frozenset[type] = frozenset()


def _column_readers(model: type[Model], fields: list[Any]) -> list[tuple[Any, str, frozenset[type]]]:
    """Each column's field, attribute and the value types its ``get_db_prep_save`` returns unchanged.

    Only fields of exactly Django's own classes qualify (a subclass may prepare values otherwise), never one
    whose ``pre_save`` computes the value (auto dates: those fields are not of these classes), and None only where
    the field itself gives None back."""
    from django.db import models
    from django.db.backends.base.operations import BaseDatabaseOperations

    # PostgreSQL (psycopg 3) wraps integers in its own types (Int4, Int8…): there they go through the field
    ints_plain = type(connection.ops).adapt_integerfield_value is BaseDatabaseOperations.adapt_integerfield_value
    plain_int = _PLAIN_INT if ints_plain else _NOTHING_PLAIN
    text = (models.CharField, models.TextField)
    integers = (models.IntegerField, models.BigIntegerField, models.SmallIntegerField, models.PositiveIntegerField,
                models.PositiveSmallIntegerField, models.PositiveBigIntegerField)
    keys = (models.AutoField, models.BigAutoField, models.SmallAutoField)
    readers: list[tuple[Any, str, frozenset[type]]] = []
    for f in fields:
        kind = type(f)
        plain: frozenset[type]
        if kind in text:
            plain = _PLAIN_TEXT
        elif kind in integers:
            plain = plain_int
        elif kind is models.FloatField:
            plain = _PLAIN_FLOAT
        elif kind is models.BooleanField:
            plain = _PLAIN_BOOL_NULL if f.null else _PLAIN_BOOL
        elif kind is models.ForeignKey and type(f.target_field) in keys + integers:
            plain = plain_int
        else:
            plain = _NOTHING_PLAIN
        readers.append((f, f.attname, plain))
    return readers


def rows_insert(item: Item, rows: list[Model], *, at_once: bool = False) -> None:
    """New rows of a step (one model): inserted at once, or with the batch's rows when the batch ends (unless
    ``at_once``: a later step of the chain reads them)."""
    deferred = _deferred(item)
    if deferred is not None and deferred.batch is not None and not at_once:
        deferred.rows.extend(rows)
    elif rows:
        type(rows[0])._default_manager.bulk_create(rows)


def references_later(item: Item, references: list[ItemReference]) -> bool:
    """In a batch: keep a first description's references (targets unset) for the batch's end; True if kept."""
    deferred = _deferred(item)
    if deferred is None or deferred.batch is None:
        return False
    deferred.references.extend(references)
    return True


def bands_later(item: Item, keys: list[str], signature: list[int]) -> bool:
    """In a batch: keep the item's band rows for the batch's end (and its bands for the next items' comparisons,
    once its chain succeeds); True if kept."""
    deferred = _deferred(item)
    if deferred is None or deferred.batch is None:
        return False
    deferred.bands = (item.pk, keys, signature)  # its rows: BatchWrites.band_rows, once the chain succeeds
    return True


def band_rows_insert(rows: Sequence[tuple[int, str]]) -> None:
    """TextBand rows (item id, key) in one ``executemany``, skipping those already there (no model objects: 16 a
    document)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    sql = "INSERT INTO %s (%s, %s) VALUES (%%s, %%s) ON CONFLICT DO NOTHING" % (  # noqa: S608 (names only)
        quote(TextBand._meta.db_table), quote(str(TextBand._meta.get_field("item").column)),
        quote(str(TextBand._meta.get_field("key").column)))
    with connection.cursor() as cursor:
        cursor.executemany(sql, [list(row) for row in rows])


def blob_mime_set(item: Item, mime: str) -> None:
    """The original's MIME type as identified (saved at once, or with the batch)."""
    item.original.mime = mime
    deferred = _deferred(item)
    if deferred is not None and deferred.batch is not None:
        deferred.blob_mimes[item.original.pk] = mime
    else:
        item.original.save(update_fields=["mime"])


def item_save(item: Item, fields: list[str] | None = None) -> None:
    """A step's save of the item (``fields`` None: every field); deferred inside a chain."""
    deferred = _deferred(item)
    if deferred is None:
        item.save(update_fields=fields)
    elif fields is None:
        deferred.fields.add(None)
    else:
        deferred.fields.update(fields)


def page_texts(item: Item) -> list[str]:
    """The item's page texts in page order (from the chain's extract step when it ran in this transaction)."""
    deferred = _deferred(item)
    if deferred is not None and deferred.page_texts is not None:
        return deferred.page_texts
    return list(ItemPage.objects.filter(item=item).order_by("n").values_list("text", flat=True))


def pages_known(item: Item) -> bool:
    """True when the extract step of this chain wrote every page from text (none waits for OCR)."""
    deferred = _deferred(item)
    return deferred is not None and deferred.page_texts is not None


def page_texts_known(item: Item, texts: list[str]) -> None:
    deferred = _deferred(item)
    if deferred is not None:
        deferred.page_texts = list(texts)


def event_record(*, item: Item, kind: str, outcome: str = ItemEvent.Outcome.SUCCESS, detail: str = "",
                 by: Any = None, data: dict[str, Any] | None = None, agent: str = "") -> ItemEvent:
    user = by if getattr(by, "is_authenticated", False) else None
    event = ItemEvent(item=item, kind=kind, outcome=outcome, detail=detail[:5000], by=user, data=data or {},
                      agent=agent or "sulieu")
    deferred = _deferred(item)
    if deferred is None:
        event.save(force_insert=True)
    else:
        deferred.events.append(event)
    return event


def blob_register(*, sha256: str, size: int, mime: str = "") -> Blob:
    """The Blob row for bytes already put in the store (created once per hash, race-safe).

    An insert that skips an existing hash, then one read: two statements, no savepoint."""
    Blob.objects.bulk_create([Blob(sha256=sha256, size=size, mime=mime)], ignore_conflicts=True)
    return Blob.objects.get(sha256=sha256)


def blob_put_bytes(*, data: bytes, mime: str = "") -> Blob:
    sha, size = storage.put_bytes(data)
    return blob_register(sha256=sha, size=size, mime=mime)


def item_file_set(*, item: Item, role: str, blob: Blob, page_n: int | None = None, name: str = "",
                  mime: str = "") -> ItemFile:
    """Attach a derivative (replacing the previous one of that role and page)."""
    obj, _created = ItemFile.objects.update_or_create(
        item=item, role=role, page_n=page_n, defaults={"blob": blob, "name": name, "mime": mime or blob.mime})
    return obj


def page_text_set(*, page: ItemPage, text: str, source: str, confidence: float | None = None) -> None:
    """Pipeline write of a page's machine text (a new version; a person's correction stays current)."""
    last = page.versions.order_by("-version").first()
    PageTextVersion.objects.create(page=page, version=(last.version if last else 0) + 1, text=text, source=source,
                                   confidence=confidence)
    corrected = last is not None and last.source == PageTextVersion.Source.CORRECTION
    if not corrected:
        page.text = text
    page.ocr_confidence = confidence
    page.save(update_fields=["text", "ocr_confidence"])


def first_run(item: Item, stage: str) -> bool:
    """True when ``stage`` never ran for this item (no mark in ``item.stages``: stages are only ever added).

    A step's rows (pages, references) are written in the transaction that marks its stage, so a step that
    never ran has none to read back."""
    return stage not in (item.stages or {})


def stage_mark(item: Item, stage: str, status: str, detail: str = "") -> None:
    """Record in ``item.stages`` (not saved) how ``stage`` went."""
    stages = dict(item.stages or {})
    stages[stage] = {"status": status, "at": timezone.now().isoformat(timespec="seconds")}
    if detail:
        stages[stage]["detail"] = detail[:500]
    item.stages = stages


def field_fill(item: Item, field: str, value: object) -> None:
    """Set a descriptive field unless a person corrected it (or the value is empty); not saved."""
    if value in (None, "", []) or field in item.locked_fields:
        return
    setattr(item, field, value)
