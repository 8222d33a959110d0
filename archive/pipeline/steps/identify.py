"""identify: the file's format, MIME type and kind, read from its first bytes."""

from __future__ import annotations

from django.utils.translation import gettext as _

from archive import formats, storage
from archive.formats import BadInput
from archive.models import Item, ItemEvent, Stage
from archive.pipeline.base import NEXT, StepResult
from archive.records import blob_mime_set, event_record, item_save


class Identify:
    name = Stage.IDENTIFY.value

    def applies(self, item: Item) -> bool:
        return True

    def run(self, item: Item) -> StepResult:
        path = storage.object_path(item.original.sha256)
        if not path.exists():
            raise BadInput(_("Không thấy bản gốc trong kho lưu trữ (mất tệp)."))
        with open(path, "rb") as stream:
            head = stream.read(8192)
        data = storage.read_bytes(item.original.sha256) if head.startswith(b"PK") else head
        identified = formats.identify(data, item.original_name)
        item.format = identified.format
        item.mime = identified.mime
        if "kind" not in item.locked_fields:
            item.kind = identified.kind
        if item.original.mime != identified.mime:
            blob_mime_set(item, identified.mime)
        item_save(item, ["format", "mime", "kind"])
        event_record(item=item, kind=ItemEvent.Kind.IDENTIFIED, detail=identified.mime,
                     data={"format": identified.format}, agent="sulieu.archive.formats")
        return NEXT


STEP = Identify()
