#!/usr/bin/env bash
# Every test: lint, the suite on SQLite, then the suite on a throwaway PostgreSQL cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
export SULIEU_DATA_DIR=${SULIEU_DATA_DIR:-$(mktemp -d /tmp/sulieu-test.XXXXXX)}
start=$(date +%s)

echo "== ruff"
lint=0
.venv/bin/ruff check . || lint=1

echo "== tests on SQLite"
.venv/bin/python -m pytest "$@"

echo "== tests on PostgreSQL"
scripts/with-postgres.sh .venv/bin/python -m pytest "$@"

if [ $lint != 0 ]; then
  echo "== tests passed but ruff found problems (above)"
  exit 1
fi
echo "== all tests passed in $(( $(date +%s) - start )) s"
