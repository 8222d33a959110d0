from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def make_item(world: Any) -> Callable[..., Any]:
    """Ingest a small text document and process it in this process; returns the finished Item."""
    from archive.models import Item
    from archive.runner import run_until_done
    from archive.services import IngestOptions, item_ingest_bytes

    counter = {"n": 0}

    def make(title: str, *, access: str = "public", collection: Any = None, body: str = "", **metadata: Any) -> Any:
        counter["n"] += 1
        text = body or "%s\nTỈNH ỦY KHÁNH HÒA\nVăn bản thử số %d về công tác lịch sử Đảng.\n" % (title, counter["n"])
        options = IngestOptions(by=world.superuser, collection=collection, access=access, channel="test",
                                metadata={"title": title, **metadata})
        result = item_ingest_bytes(data=text.encode("utf-8"), name="doc-%d.txt" % counter["n"], source="test",
                                   options=options)
        run_until_done([result.item.pk], poll=0.01)
        return Item.objects.get(pk=result.item.pk)

    return make
