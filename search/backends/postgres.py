"""PostgreSQL backend: a ``tsvector`` built in Python from the same analysed terms, with a GIN index.

The vector is written as a tsvector literal (no text-search parser involved), so ``lịch_sử`` or
``k_98_kh_tu`` stay one lexeme; head terms carry weight A, page terms the default D.
"""

from __future__ import annotations

from search.backends.base import COLUMNS, SqlSearchBackend, _chunks, _marks
from search.ranking import idf

_TEXT = "TEXT NOT NULL DEFAULT ''"
_COLUMN_TYPES = {
    "item_id": "BIGINT NOT NULL", "page": "INTEGER NOT NULL", "unit_id": "BIGINT", "collection_id": "BIGINT",
    "year": "INTEGER", "date_from": "TEXT", "date_to": "TEXT", "unit_path": "TEXT", "collection_path": "TEXT",
}


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(head_terms: str, body_terms: str) -> str:
    parts = [f"{_lexeme(t)}:1A" for t in dict.fromkeys(head_terms.split())]
    parts += [_lexeme(t) for t in dict.fromkeys(body_terms.split())]
    return " ".join(parts)


def tsquery_literal(should: list[str], groups: list[list[str]]) -> str:
    parts = []
    if should:
        parts.append("(" + " | ".join(_lexeme(t) for t in should) + ")")
    for group in groups:
        parts.append("(" + " & ".join(_lexeme(t) for t in group) + ")")
    return " & ".join(parts)


class PostgresBackend(SqlSearchBackend):
    vendor = "postgresql"

    def schema_sql(self) -> list[str]:
        t = self.t
        cols = ", ".join(f"{c} {_COLUMN_TYPES.get(c, _TEXT)}" for c in COLUMNS)
        return [
            f"CREATE TABLE IF NOT EXISTS {t}passage (id BIGSERIAL PRIMARY KEY, {cols}, tsv tsvector NOT NULL)",
            f"CREATE INDEX IF NOT EXISTS {t}passage_item ON {t}passage (item_id, page)",
            f"CREATE INDEX IF NOT EXISTS {t}passage_tsv ON {t}passage USING GIN (tsv)",
        ]

    def drop_sql(self) -> list[str]:
        return [f"DROP TABLE IF EXISTS {self.t}passage"]

    def _insert(self, rows: list[tuple], item_ids: list[int]) -> None:
        head_i, body_i = COLUMNS.index("head_terms"), COLUMNS.index("body_terms")
        self.db.executemany(
            f"INSERT INTO {self.t}passage ({', '.join(COLUMNS)}, tsv) VALUES ({_marks(COLUMNS)}, %s::tsvector)",
            [(*row, tsvector_literal(row[head_i], row[body_i])) for row in rows],
        )

    def clear(self) -> None:
        self.db.execute(f"DELETE FROM {self.t}passage")

    def _match(self, groups: list[list[str]], should: list[str], alias: str = "p") -> tuple[str, list]:
        return f"{alias}.tsv @@ %s::tsquery", [tsquery_literal(should, groups)]

    def _first_stage(self, should: list[str], groups: list[list[str]], where: str, params: list,
                     limit: int, dfs: dict[str, int] | None = None) -> list[tuple]:
        """ts_rank knows no idf: order by the idf-weighted sum of the terms present (head counts 2.5×),
        the same quantity the second stage refines."""
        query = tsquery_literal(should, groups)
        n = max(self.passage_count(), 1)
        parts, order_params = [], []
        for term in should[:40]:
            weight = idf((dfs or {}).get(term, 1), n)
            parts.append(f"{weight:.4f} * ((p.tsv @@ %s::tsquery)::int + 1.5 * (p.tsv @@ %s::tsquery)::int)")
            order_params += [_lexeme(term), _lexeme(term) + ":A"]
        order = " + ".join(parts) if parts else "ts_rank(p.tsv, %s::tsquery)"
        if not parts:
            order_params = [query]
        return self.db.fetchall(
            f"SELECT p.id, p.item_id, p.page FROM {self.t}passage p "
            f"WHERE p.tsv @@ %s::tsquery AND {where} ORDER BY {order} DESC, p.id LIMIT %s",
            [query, *params, *order_params, limit],
        )

    def doc_freqs(self, terms: list[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for chunk in _chunks(terms, 100):
            counts = ", ".join(["COUNT(*) FILTER (WHERE p.tsv @@ %s::tsquery)"] * len(chunk))
            row = self.db.fetchall(
                f"SELECT {counts} FROM {self.t}passage p WHERE p.tsv @@ %s::tsquery",
                [*(_lexeme(t) for t in chunk), tsquery_literal(chunk, [])],
            )[0]
            out.update({t: int(n) for t, n in zip(chunk, row, strict=True) if n})
        return out
