#!/usr/bin/env bash
# Every test: lint, then the suite on SQLite and on a throwaway PostgreSQL cluster.
# The two suites run at the same time (one pytest process each: on two cores the whole run takes about as long
# as the longer suite); SULIEU_TEST_SERIAL=1 runs them one after the other with live output.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
work=$(mktemp -d /tmp/sulieu-test.XXXXXX)
mkdir -p "$work/sqlite-data" "$work/pg-data"

echo "== ruff"
lint=0
.venv/bin/ruff check . || lint=1
echo "== mypy"
.venv/bin/mypy || lint=1

sqlite=0
pg=0
run_sqlite() { SULIEU_DATA_DIR=$work/sqlite-data .venv/bin/python -m pytest --basetemp="$work/sqlite-tmp" "$@"; }
run_pg() { SULIEU_DATA_DIR=$work/pg-data scripts/with-postgres.sh .venv/bin/python -m pytest --basetemp="$work/pg-tmp" "$@"; }

if [ "${SULIEU_TEST_SERIAL:-0}" = 1 ]; then
  echo "== tests on SQLite"
  run_sqlite "$@" || sqlite=1
  echo "== tests on PostgreSQL"
  run_pg "$@" || pg=1
else
  echo "== tests on SQLite and on PostgreSQL, at the same time (logs: $work/*.log)"
  run_sqlite "$@" >"$work/sqlite.log" 2>&1 &
  sqlite_pid=$!
  run_pg "$@" >"$work/pg.log" 2>&1 &
  pg_pid=$!
  # progress while they run: the last line of each log every two minutes
  while kill -0 "$sqlite_pid" 2>/dev/null || kill -0 "$pg_pid" 2>/dev/null; do
    sleep 120
    echo "   $(( ($(date +%s) - start) / 60 )) min: sqlite $(tail -c 200 "$work/sqlite.log" | tr -d '.' | tail -n 1 | cut -c1-60)" \
         "| postgres $(tail -c 200 "$work/pg.log" | tr -d '.' | tail -n 1 | cut -c1-60)"
  done
  wait "$sqlite_pid" || sqlite=1
  wait "$pg_pid" || pg=1
  echo "== tests on SQLite"
  cat "$work/sqlite.log"
  echo "== tests on PostgreSQL"
  cat "$work/pg.log"
fi

if [ $lint != 0 ] || [ $sqlite != 0 ] || [ $pg != 0 ]; then
  echo "== FAILED: ruff/mypy=$lint sqlite=$sqlite postgres=$pg (1 = failed) after $(( $(date +%s) - start )) s"
  exit 1
fi
echo "== all tests passed in $(( $(date +%s) - start )) s"
rm -rf "$work"
