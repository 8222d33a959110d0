"""A search's session settings (``DjangoDb.read_settings``: sequential scans off on PostgreSQL) travel with its
first read, in the same round trip, and are undone when the search ran inside an outer transaction."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orgs.access import AccessScope
from search.backends.sql.connection import DjangoDb
from search.query import parse_query
from search.tests.test_scale_paths import indexed

pytestmark = pytest.mark.django_db
SETUP = "SET LOCAL work_mem = '7MB'"
RESET = "SET LOCAL work_mem TO DEFAULT"
ALL = AccessScope(everything=True)


def _sent(ctx: CaptureQueriesContext) -> list[str]:
    """The statements sent, without the savepoints of the nested transaction (the test runs in one)."""
    return [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]


def test_the_settings_ride_on_the_first_read_and_hold_for_every_read() -> None:
    db = DjangoDb()
    if connection.vendor != "postgresql":  # SQLite: no session settings; a read is one statement as given
        with CaptureQueriesContext(connection) as ctx:
            assert db.fetchall("SELECT %s + 1", [41]) == [(42,)]
        assert _sent(ctx) == ["SELECT 41 + 1"]
        return
    before = db.fetchall("SELECT current_setting('work_mem')")
    with CaptureQueriesContext(connection) as ctx, db.read_settings(SETUP, RESET):
        first = db.fetchall("SELECT current_setting('work_mem'), %s::int", [5])
        second = db.fetchall("SELECT current_setting('work_mem')")
    assert first == [("7MB", 5)] and second == [("7MB",)]
    sent = _sent(ctx)
    assert sent[0].startswith(SETUP + "; SELECT current_setting")  # one round trip for both statements
    assert sent[1] == "SELECT current_setting('work_mem')"
    assert sent[2:] == [RESET]  # nested in the test's transaction: undone at the end
    assert db.fetchall("SELECT current_setting('work_mem')") == before


def test_a_block_without_reads_sends_nothing() -> None:
    db = DjangoDb()
    with CaptureQueriesContext(connection) as ctx, db.read_settings(SETUP, RESET):
        pass
    assert _sent(ctx) == []
    # and the next block's first read still carries its own settings (nothing left over from this one)
    if connection.vendor == "postgresql":
        with db.read_settings("SET LOCAL work_mem = '9MB'", RESET):
            assert db.fetchall("SELECT current_setting('work_mem')") == [("9MB",)]
    assert db.fetchall("SELECT 1") == [(1,)]


def test_a_search_sends_no_statement_of_its_own_for_its_settings() -> None:
    backend = indexed()
    with CaptureQueriesContext(connection) as ctx:
        hits = backend.search(parse_query("Phú Nhơn"), scope=ALL, page_size=10).hits
    assert [h.id for h in hits][:1] == [17]
    sent = _sent(ctx)
    if connection.vendor != "postgresql":  # SQLite: no settings at all
        assert not [s for s in sent if s.startswith("SET")]
        return
    setup = "SET LOCAL enable_seqscan = off; SET LOCAL max_parallel_workers_per_gather = 0"
    assert sent[0].startswith(setup + "; SELECT term, doc FROM")  # with the document frequencies
    assert not [s for s in sent if s.startswith("SET") and not s.startswith(setup + "; SELECT")
                and "TO DEFAULT" not in s]  # none alone; only the reset at the end of the nested block
