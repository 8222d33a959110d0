"""Materialised-path trees (org units, archive collections).

A node's ``path`` is the zero-padded ids from the root down to itself ("000001.000007."), so "this
node and everything under it" is one indexed ``path__startswith`` query and the ancestors are read
from the path without a query. Only these functions write ``path`` and ``depth``.
"""

from __future__ import annotations

from django.db import models

PATH_WIDTH = 6


def _segment(pk: int) -> str:
    return str(pk).zfill(PATH_WIDTH) + "."


def tree_place(node: models.Model) -> None:
    """Give a freshly created node (it must have a pk) its path and depth under its parent."""
    parent = node.parent  # type: ignore[attr-defined]
    node.path = (parent.path if parent is not None else "") + _segment(node.pk)  # type: ignore[attr-defined]
    node.depth = node.path.count(".") - 1  # type: ignore[attr-defined]
    node.save(update_fields=["path", "depth"])


def tree_move(node: models.Model) -> None:
    """After ``node.parent`` changed: rewrite the paths of the node and its whole subtree.

    Raises ValueError when the new parent lies inside the node's own subtree.
    """
    old_path = node.path  # type: ignore[attr-defined]
    parent = node.parent  # type: ignore[attr-defined]
    if parent is not None and old_path and parent.path.startswith(old_path):
        raise ValueError("a node cannot be moved under itself")
    model = type(node)
    tree_place(node)
    new_path = node.path  # type: ignore[attr-defined]
    if old_path and new_path != old_path:
        for child in model.objects.filter(path__startswith=old_path).exclude(pk=node.pk):  # type: ignore[attr-defined]
            child.path = new_path + child.path[len(old_path):]
            child.depth = child.path.count(".") - 1
            child.save(update_fields=["path", "depth"])


def ancestor_ids(path: str) -> list[int]:
    """Ids from the root down to the node itself, read from a path."""
    return [int(part) for part in path.split(".") if part]
