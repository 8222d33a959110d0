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
# where a suite is: its summary line once it has one, else the last percentage pytest printed
progress() { grep -E " in [0-9.]+s( |$)" "$1" | tail -n 1 | grep . || grep -o "\[ *[0-9]*%\]" "$1" | tail -n 1 || true; }
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
  # progress while they run: where each suite is, every two minutes
  ticks=0
  while kill -0 "$sqlite_pid" 2>/dev/null || kill -0 "$pg_pid" 2>/dev/null; do
    sleep 5
    ticks=$((ticks + 1))
    if [ $((ticks % 24)) = 0 ]; then
      echo "   $(( ($(date +%s) - start) / 60 )) min: sqlite $(progress "$work/sqlite.log") | postgres $(progress "$work/pg.log")"
    fi
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
