#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster on loopback, then stop and delete it.
#   scripts/with-postgres.sh .venv/bin/pytest -q
# Uses Debian's postgresql binaries (pg_config --bindir or /usr/lib/postgresql/*/bin).
set -euo pipefail

bindir=$(pg_config --bindir 2>/dev/null || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "with-postgres: PostgreSQL server binaries not found (install the Debian package 'postgresql')" >&2
  exit 2
fi

port=${SULIEU_PG_PORT:-$(( 55000 + RANDOM % 5000 ))}
dir=$(mktemp -d /tmp/sulieu-pg.XXXXXX)
chmod 755 "$dir"
as_pg=()
if [ "$(id -u)" = 0 ]; then
  # initdb refuses to run as root: the cluster belongs to the postgres user.
  chown postgres "$dir"
  as_pg=(runuser -u postgres --)
fi

cleanup() {
  "${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM

"${as_pg[@]}" "$bindir/initdb" -D "$dir/data" -U sulieu --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 2; }
"${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null \
  || { cat "$dir/server.log" >&2; exit 2; }
"$bindir/psql" -h 127.0.0.1 -p "$port" -U sulieu -d postgres -qc "CREATE DATABASE sulieu" >/dev/null

export DATABASE_URL="postgres://sulieu@127.0.0.1:$port/sulieu"
echo "with-postgres: throwaway cluster on 127.0.0.1:$port" >&2
set +e
"$@"
status=$?
set -e
exit $status
