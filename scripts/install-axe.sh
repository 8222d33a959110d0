#!/usr/bin/env bash
# axe-core (the npm package) for the portal's accessibility browser tests, installed into .venv/npm.
# Idempotent; needs npm (Debian: nodejs + npm) and the npm registry.
set -euo pipefail
cd "$(dirname "$0")/.."
target=.venv/npm
if [ -f "$target/node_modules/axe-core/axe.min.js" ]; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "sulieu: npm is missing: the accessibility tests need axe-core (apt-get install nodejs npm)" >&2
  exit 0
fi
mkdir -p "$target"
npm install --silent --no-audit --no-fund --prefix "$target" "axe-core@^4.10" >/dev/null
echo "sulieu: axe-core $(node -p "require('./$target/node_modules/axe-core/package.json').version") installed for the accessibility tests"
