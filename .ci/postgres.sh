#!/usr/bin/env bash
# Installs the PostgreSQL server binaries (Debian packages) that the store's tests start a
# throwaway cluster from (tests/pg.py), if they are missing. Nothing else: no server is
# started here. Never fails the CI run: without PostgreSQL the PostgreSQL tests skip, and
# this script says so.
set -u

have_postgres() {
    command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1 && return 0
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null 2>&1
}

if have_postgres; then
    echo "postgres.sh: PostgreSQL binaries found"
    exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        sudo="sudo -n"
    else
        echo "postgres.sh: warning: not root and no sudo; PostgreSQL not installed, its tests will skip" >&2
        exit 0
    fi
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "postgres.sh: warning: no apt-get; PostgreSQL not installed, its tests will skip" >&2
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
if { $sudo apt-get update -q >/dev/null 2>&1 || true; } &&
   $sudo apt-get install -y -q --no-install-recommends postgresql >/dev/null 2>&1 &&
   have_postgres; then
    echo "postgres.sh: PostgreSQL installed"
else
    echo "postgres.sh: warning: could not install PostgreSQL (apt-get install postgresql failed); its tests will skip" >&2
fi
exit 0
