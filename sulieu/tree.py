"""Moved to :mod:`core.tree`; these names stay importable for code written against ``sulieu.tree``."""

from core.tree import PATH_WIDTH, ancestor_ids, tree_move, tree_place

__all__ = ["PATH_WIDTH", "ancestor_ids", "tree_move", "tree_place"]
