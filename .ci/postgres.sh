#!/usr/bin/env bash
# Installs the PostgreSQL server binaries (Debian packages) that the store's tests start a
# throwaway cluster from (tests/pg.py), if they are missing. Nothing else: no server is
# started here. Never fails the CI run: without PostgreSQL the PostgreSQL tests skip, and
# this script says so.
set -u
. "$(dirname "$0")/apt.sh"

have_postgres() {
    command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1 && return 0
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null 2>&1
}

if have_postgres; then
    echo "postgres.sh: PostgreSQL binaries found"
elif apt_install postgres.sh postgresql && have_postgres; then
    echo "postgres.sh: PostgreSQL installed"
else
    echo "postgres.sh: warning: PostgreSQL not installed; its tests will skip" >&2
fi
exit 0
