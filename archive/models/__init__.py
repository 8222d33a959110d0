"""Models of the archive: the hierarchy, items and their pages, stored files, events, links."""

from archive.models.collections import Collection, CollectionKind, Reliability, Retention
from archive.models.files import Blob, IngestRecord, ItemFile
from archive.models.items import (
    DatePrecision,
    DuplicateCandidate,
    Item,
    ItemEvent,
    ItemKind,
    ItemPage,
    ItemPlace,
    ItemReference,
    ItemStatus,
    PageState,
    PageTextVersion,
    Stage,
    StageState,
    TextBand,
)

__all__ = [
    "Blob",
    "Collection",
    "CollectionKind",
    "DatePrecision",
    "DuplicateCandidate",
    "IngestRecord",
    "Item",
    "ItemEvent",
    "ItemFile",
    "ItemKind",
    "ItemPage",
    "ItemPlace",
    "ItemReference",
    "ItemStatus",
    "PageState",
    "PageTextVersion",
    "Stage",
    "StageState",
    "Reliability",
    "Retention",
    "TextBand",
]
