#!/usr/bin/env bash
# Starts a throwaway PostgreSQL on 127.0.0.1:$PGPORT in $PGROOT (no systemd, loopback only) and prints
# its URL as the last line of standard output. Used by scripts/test.sh; stop it with scripts/pg-stop.sh.
set -euo pipefail
PGROOT=${PGROOT:-/tmp/lantian-pg}
PGPORT=${PGPORT:-54329}
PGDB=${PGDB:-lantian_test}
PGBIN=$( (ls -d /usr/lib/postgresql/*/bin 2>/dev/null || true) | sort -V | tail -1)
if [ ! -x "$PGBIN/initdb" ]; then
  echo "PostgreSQL server binaries not found; install them with: apt-get install -y postgresql" >&2
  exit 1
fi
if [ -f "$PGROOT/data/postmaster.pid" ]; then
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGROOT/data" -m immediate stop >/dev/null 2>&1 || true
fi
rm -rf "$PGROOT"; mkdir -p "$PGROOT"; chown postgres:postgres "$PGROOT"
as_pg() { runuser -u postgres -- "$@"; }
as_pg "$PGBIN/initdb" -D "$PGROOT/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PGROOT/initdb.log"
# fsync off: a test database is thrown away, durability is not what is being tested here.
as_pg "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/server.log" -w -t 30 \
  -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGROOT -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >&2
as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres "$PGDB"
echo "postgres://postgres@127.0.0.1:$PGPORT/$PGDB?sslmode=disable"
