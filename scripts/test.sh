#!/usr/bin/env bash
# Every test: lint, the suite on SQLite, then the suite on a throwaway PostgreSQL cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
export SULIEU_DATA_DIR=${SULIEU_DATA_DIR:-$(mktemp -d /tmp/sulieu-test.XXXXXX)}
start=$(date +%s)

echo "== ruff"
lint=0
.venv/bin/ruff check . || lint=1
echo "== mypy"
.venv/bin/mypy || lint=1

# Both suites always run, so one report shows every failure.
echo "== tests on SQLite"
sqlite=0
.venv/bin/python -m pytest "$@" || sqlite=1

echo "== tests on PostgreSQL"
pg=0
scripts/with-postgres.sh .venv/bin/python -m pytest "$@" || pg=1

if [ $lint != 0 ] || [ $sqlite != 0 ] || [ $pg != 0 ]; then
  echo "== FAILED: ruff/mypy=$lint sqlite=$sqlite postgres=$pg (1 = failed) after $(( $(date +%s) - start )) s"
  exit 1
fi
echo "== all tests passed in $(( $(date +%s) - start )) s"
