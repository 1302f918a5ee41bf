#!/usr/bin/env bash
# Start a throw-away PostgreSQL server on loopback for the store tests.
#
#   .ci/postgres.sh            install (Debian) if missing, initdb, start; prints the test URL
#   .ci/postgres.sh stop       stop it
#
# It exports nothing: the caller sets
#   EVENTCODER_TEST_PG_URL=postgresql://eventcoder@127.0.0.1:${EVENTCODER_PG_PORT:-54329}/eventcoder
# (the URL is also printed on the last line of output). Tests skip cleanly when it is unset.
# Authentication is "trust" on 127.0.0.1 only; the role may create databases (one per test).
set -euo pipefail

PORT="${EVENTCODER_PG_PORT:-54329}"
DATA="${EVENTCODER_PG_DIR:-/tmp/eventcoder-pg}"
LOG="$DATA.log"

as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

find_bin() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    [ -n "$dir" ] && [ -x "$dir/pg_ctl" ] && echo "$dir"
}

BIN="$(find_bin || true)"
if [ "${1:-start}" = stop ]; then
    [ -n "$BIN" ] && [ -d "$DATA" ] && as_postgres "$BIN/pg_ctl" -D "$DATA" -m fast stop || true
    exit 0
fi

if [ -z "$BIN" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql >/dev/null
    BIN="$(find_bin)"
fi

if [ ! -f "$DATA/PG_VERSION" ]; then
    mkdir -p "$DATA"
    [ "$(id -u)" = 0 ] && chown postgres: "$DATA"
    chmod 700 "$DATA"
    as_postgres "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
fi
[ "$(id -u)" = 0 ] && touch "$LOG" && chown postgres: "$LOG"

if ! as_postgres "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    as_postgres "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k /tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
fi

psql=("$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -qtA)
if [ "$("${psql[@]}" -d postgres -c "SELECT 1 FROM pg_roles WHERE rolname='eventcoder'")" != 1 ]; then
    "${psql[@]}" -d postgres -c "CREATE ROLE eventcoder LOGIN CREATEDB"
fi
if [ "$("${psql[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname='eventcoder'")" != 1 ]; then
    "${psql[@]}" -d postgres -c "CREATE DATABASE eventcoder OWNER eventcoder"
fi
echo "postgresql://eventcoder@127.0.0.1:$PORT/eventcoder"
