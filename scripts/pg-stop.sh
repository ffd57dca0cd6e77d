#!/usr/bin/env bash
# Stops the PostgreSQL started by scripts/pg-start.sh.
PGROOT=${PGROOT:-/tmp/lantian-pg}
PGBIN=$( (ls -d /usr/lib/postgresql/*/bin 2>/dev/null || true) | sort -V | tail -1)
[ -f "$PGROOT/data/postmaster.pid" ] || exit 0
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGROOT/data" -m fast stop
