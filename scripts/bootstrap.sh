#!/usr/bin/env bash
# Set up everything sulieu needs on Debian: system packages (when allowed), .venv, the project.
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEM_PACKAGES=(
  python3-venv tesseract-ocr tesseract-ocr-vie poppler-utils ghostscript
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
  pandoc libreoffice-writer-nogui chromium postgresql postgresql-contrib
  redis-server  # contests: the README's contest day on several machines
  recode  # vntext tests: second VPS/VNI table to cross-check legacy.py
  fonts-freefont-ttf  # bench/ingest OCR set: Times-, Helvetica- and Courier-like faces with Vietnamese
)

missing=()
for pkg in "${SYSTEM_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt_cmd=(apt-get)
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    apt_cmd=(sudo apt-get)
  else
    echo "sulieu: these Debian packages are missing and this user cannot install them:" >&2
    echo "  ${missing[*]}" >&2
    echo "Ask an administrator to run:  apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  echo "sulieu: installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${apt_cmd[@]}" update -q >/dev/null
  "${apt_cmd[@]}" install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "sulieu: creating .venv"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.sulieu-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ requirements.lock -nt "$stamp" ]; then
  echo "sulieu: installing Python packages (first run takes a minute)"
  .venv/bin/python -m pip install -q --upgrade pip setuptools wheel
  # requirements.lock pins what the tests last passed with; a different Python (Debian's 3.11.2
  # instead of 3.11.7, say) may not take every pin, and then the resolver picks within pyproject's ranges.
  if ! .venv/bin/python -m pip install -q -c requirements.lock -e ".[dev]" 2>.venv/pip-lock.log; then
    echo "sulieu: the locked versions do not fit $(.venv/bin/python -V); installing within pyproject's ranges"
    .venv/bin/python -m pip install -q -e ".[dev]"
  fi
  touch "$stamp"
fi
scripts/install-axe.sh  # axe-core (npm) for the portal's accessibility tests
