"""The declared search filters: their names, what values they take, which come from a URL, which are facets.

The views read their query parameters from :data:`PUBLIC`, the backends compile exactly these names to SQL
(``search.backends.sql.where``) and count facets for :data:`FACETS`; any other name is an error
(:class:`UnknownFilter`), never silently dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["text", "int", "date", "path", "ids"]


class UnknownFilter(ValueError):
    """A filter name that is not in :data:`FILTERS`."""


@dataclass(frozen=True)
class Filter:
    name: str
    kind: Kind
    public: bool = True  # accepted from a URL query string (else set by the search service)
    facet: bool = False  # counted as a facet of the results


FILTERS: dict[str, Filter] = {f.name: f for f in (
    Filter("type", "text", facet=True),
    Filter("issuer", "text", facet=True),
    Filter("year", "int", facet=True),
    Filter("decade", "int", facet=True),
    Filter("unit", "int", facet=True),
    Filter("collection", "int", facet=True),
    Filter("access", "text", facet=True),
    Filter("date_from", "date"),
    Filter("date_to", "date"),
    Filter("kind", "text", public=False),
    Filter("unit_path", "path", public=False),
    Filter("collection_path", "path", public=False),
    Filter("ids", "ids", public=False),
)}
PUBLIC: tuple[str, ...] = tuple(name for name, f in FILTERS.items() if f.public)
FACETS: tuple[str, ...] = tuple(name for name, f in FILTERS.items() if f.facet)
NUMERIC: frozenset[str] = frozenset(name for name, f in FILTERS.items() if f.kind == "int")


def check(filters: Mapping[str, Any]) -> dict[str, Any]:
    """The filters with a value, as a dict; :class:`UnknownFilter` for a name that is not declared."""
    unknown = sorted(set(filters) - set(FILTERS))
    if unknown:
        raise UnknownFilter("unknown search filter %s (known: %s)" % (
            ", ".join(repr(n) for n in unknown), ", ".join(FILTERS)))
    return {name: value for name, value in filters.items() if value not in (None, "", [])}
