"""What of an item a user may *use* once they may see it: the reading room's one file rule.

Who may see an item is decided by ``orgs.access`` (``can_view``); who may do what by ``orgs.policy``.
The archive model has one access level per item and no separate level for its files, so the reading room
adds this rule, here and nowhere else:

- whoever may see an item may read it: page text, page images, thumbnail, IIIF manifest, print view,
  and the searchable PDF (the reading copy);
- the original as deposited is for those ``orgs.policy`` grants ``archive.download_original`` on the
  item (readers and staff of the owning unit or a unit above it; superusers). The anonymous public reads
  public items but does not download their originals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied

from archive.models import Item
from archive.selectors import access_item
from orgs.access import can_view
from orgs.policy import can

DOWNLOAD_ORIGINAL = "archive.download_original"


@dataclass(frozen=True)
class ItemRights:
    read: bool  # pages, images, thumbnail, manifest, print view
    searchable_pdf: bool
    original: bool


NO_RIGHTS = ItemRights(read=False, searchable_pdf=False, original=False)


def item_rights(user: Any, item: Item) -> ItemRights:
    if not can_view(user, item):
        return NO_RIGHTS
    return ItemRights(read=True, searchable_pdf=True, original=can(user, DOWNLOAD_ORIGINAL, item))


def access_reading_item(user: Any, item_id: int) -> Item:
    """The item if ``user`` may see it (Http404 otherwise) — the archive's own ``access_item``."""
    return access_item(user, item_id)


def ensure_file_right(user: Any, item: Item, role: str) -> None:
    """PermissionDenied unless ``user`` may download the item's file of this role (the item is visible)."""
    rights = item_rights(user, item)
    allowed = {"original": rights.original, "searchable_pdf": rights.searchable_pdf}.get(role, rights.read)
    if not allowed:
        raise PermissionDenied(role)
