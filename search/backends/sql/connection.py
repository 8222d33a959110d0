"""Database access for the SQL backends: Django's connection, or a raw sqlite3 connection (throwaway indexes)."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol

from django.db import connections, transaction

from core.replica import read_alias


class Db(Protocol):
    vendor: str

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...
    def execute(self, sql: str, params: Sequence[Any] = ()) -> None: ...
    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...
    def atomic(self) -> contextlib.AbstractContextManager[Any]: ...


class DjangoDb:
    def __init__(self, alias: str = "default") -> None:
        self.alias = alias
        self.connection = connections[alias]
        self.vendor: str = self.connection.vendor
        # per thread (Django's connections are), by alias: read_settings' SET LOCAL not sent yet
        self._pending = threading.local()

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        # Queries read from the replica inside core.replica.reading_from_replica (search pages); writes never do.
        alias = read_alias(self.alias)
        setup = self._pending.__dict__.pop(alias, None)
        with connections[alias].cursor() as cur:
            if setup is None:
                cur.execute(sql, list(params))
            else:  # read_settings' SET LOCAL sent with the block's first read: one round trip, two statements
                cur.execute(f"{setup}; {sql}", list(params))
                while cur.cursor.description is None and cur.cursor.nextset():
                    pass
            rows: list[tuple[Any, ...]] = cur.fetchall()
            return rows

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        with self.connection.cursor() as cur:
            cur.execute(sql, list(params))

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self.connection.cursor() as cur:
            cur.executemany(sql, [list(r) for r in rows])

    def atomic(self) -> contextlib.AbstractContextManager[Any]:
        return transaction.atomic(using=self.alias)

    @contextlib.contextmanager
    def read_settings(self, setup: str, reset: str) -> Iterator[None]:
        """``setup`` (``SET LOCAL …``) in effect for the reads of the block, on the connection they use (the
        replica inside core.replica.reading_from_replica): a transaction of that connection, and ``reset``
        run at the end when the transaction is nested in an outer one (else its end undoes ``SET LOCAL``).
        ``setup`` goes in front of the block's first :meth:`fetchall` (a search's first statement), not in a
        round trip of its own (real questions on PostgreSQL: one of five a search; RESULTS.md, stop 21)."""
        alias = read_alias(self.alias)
        connection = connections[alias]
        nested = connection.in_atomic_block
        with transaction.atomic(using=alias):
            setattr(self._pending, alias, setup)
            try:
                yield
            finally:
                sent = self._pending.__dict__.pop(alias, None) is None
                if nested and sent:
                    with connection.cursor() as cur:
                        cur.execute(reset)

    def copy(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], *,
             types: Sequence[str] | None = None, dumpers: Sequence[type] = ()) -> None:
        """PostgreSQL only: the rows written with COPY: in text format (values converted by the columns'
        types), or in binary with ``types`` (the columns' type names) and ``dumpers`` (psycopg binary dumpers
        for types psycopg has none for, looked up by their oid)."""
        binary = " (FORMAT BINARY)" if types is not None else ""
        with self.connection.cursor() as cur:
            for dumper in dumpers:
                cur.cursor.adapters.register_dumper(None, dumper)
            with cur.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN{binary}") as copy:
                if types is not None:
                    copy.set_types(list(types))
                for row in rows:
                    copy.write_row(row)


class SqliteFileDb:
    """A raw sqlite3 connection (throwaway evaluation and benchmark indexes)."""

    vendor = "sqlite"

    def __init__(self, path: str = ":memory:") -> None:
        self.connection = sqlite3.connect(path, isolation_level=None)
        self.connection.execute("PRAGMA journal_mode=WAL" if path != ":memory:" else "PRAGMA journal_mode=MEMORY")
        self.connection.execute("PRAGMA synchronous=OFF")
        self.connection.execute("PRAGMA cache_size=-200000")
        self.connection.execute("PRAGMA temp_store=MEMORY")

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("%s", "?")

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.connection.execute(self._sql(sql), list(params)).fetchall()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.connection.execute(self._sql(sql), list(params))

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.connection.executemany(self._sql(sql), rows)

    @contextlib.contextmanager
    def atomic(self) -> Iterator[None]:
        self.connection.execute("BEGIN")
        try:
            yield
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")
