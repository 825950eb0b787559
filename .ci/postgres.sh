# A throwaway PostgreSQL server for the store tests.
#
#   . .ci/postgres.sh          start it (or reuse the one already running), export
#                              EVENTWATCH_TEST_POSTGRES and print its URL; sourced from a
#                              script (such as .ci/run) it stops the server it started on exit
#   bash .ci/postgres.sh       start it (or reuse it) and print the URL; it keeps running
#   bash .ci/postgres.sh stop  stop it and remove its files
#
# The server lives in $EVENTWATCH_PG_DIR (default: /tmp/eventwatch-test-postgres), listens
# on a free port of 127.0.0.1 only, trusts every local connection and holds one database,
# eventwatch_test.  It uses the PostgreSQL 15 binaries of Debian's `postgresql` package
# (installed when missing, as root); PG_BIN overrides their folder.  PostgreSQL refuses to
# run as root, so as root the server runs as the `postgres` user.

_ewpg_main() {
    local dir="${EVENTWATCH_PG_DIR:-/tmp/eventwatch-test-postgres}"
    local bin="${PG_BIN:-/usr/lib/postgresql/15/bin}"
    local action="${1:-start}"
    local as=()
    if [ "$(id -u)" = 0 ]; then
        as=(runuser -u postgres --)
    fi

    if [ "$action" = stop ]; then
        if [ -f "$dir/data/postmaster.pid" ]; then
            (cd / && "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1) || true
        fi
        rm -rf "$dir"
        return 0
    fi
    if [ "$action" != start ]; then
        echo "usage: . .ci/postgres.sh | bash .ci/postgres.sh [start|stop]" >&2
        return 2
    fi

    if [ ! -x "$bin/initdb" ]; then
        if [ "$(id -u)" != 0 ]; then
            echo "postgres.sh: no PostgreSQL binaries in $bin: install Debian's postgresql package or set PG_BIN" >&2
            return 1
        fi
        echo "postgres.sh: installing PostgreSQL (apt-get install postgresql)" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y -q postgresql >/dev/null 2>&1 \
            || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q postgresql >/dev/null; } \
            || { echo "postgres.sh: apt-get install postgresql failed" >&2; return 1; }
        if [ ! -x "$bin/initdb" ]; then
            echo "postgres.sh: postgresql installed but $bin/initdb is missing: set PG_BIN to its bin folder" >&2
            return 1
        fi
    fi

    local port
    if [ -f "$dir/port" ] && (cd / && "${as[@]}" "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1); then
        port="$(cat "$dir/port")"   # already running: reuse it (and leave its stop to whoever started it)
        _ewpg_started=0
    else
        if [ -f "$dir/data/postmaster.pid" ]; then   # a stale server from an earlier run
            (cd / && "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1) || true
        fi
        rm -rf "$dir"
        mkdir -p "$dir"
        if [ "$(id -u)" = 0 ]; then
            chown postgres: "$dir"
        fi
        port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
        (cd / && "${as[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 \
            --locale=C.UTF-8 >"$dir/initdb.log" 2>&1) \
            || { echo "postgres.sh: initdb failed, see $dir/initdb.log" >&2; return 1; }
        (cd / && "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
            -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off -c max_connections=100" \
            start >/dev/null) \
            || { echo "postgres.sh: the server did not start, see $dir/server.log" >&2; return 1; }
        "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres eventwatch_test \
            || { echo "postgres.sh: createdb failed" >&2; return 1; }
        echo "$port" >"$dir/port"
        _ewpg_started=1
    fi
    EVENTWATCH_TEST_POSTGRES="postgresql://postgres@127.0.0.1:$port/eventwatch_test"
    export EVENTWATCH_TEST_POSTGRES
    echo "$EVENTWATCH_TEST_POSTGRES"
}

if (return 0 2>/dev/null); then
    # sourced
    _ewpg_started=0
    if _ewpg_main start; then
        case "$_ewpg_started:$-" in
            0:*) ;;   # reused a running server: not ours to stop
            *i*) echo "postgres.sh: stop it with: bash .ci/postgres.sh stop" >&2 ;;
            *)   # a script (such as .ci/run): stop the server when it exits, after its own exit trap
                _ewpg_prev_trap="$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT\$//")"
                _ewpg_stop_cmd="EVENTWATCH_PG_DIR='${EVENTWATCH_PG_DIR:-/tmp/eventwatch-test-postgres}' PG_BIN='${PG_BIN:-/usr/lib/postgresql/15/bin}' _ewpg_main stop"
                case "$_ewpg_prev_trap" in
                    *"_ewpg_main stop"*) ;;   # sourced twice: the stop is registered already
                    "") trap "$_ewpg_stop_cmd" EXIT ;;
                    *) trap "$_ewpg_prev_trap; $_ewpg_stop_cmd" EXIT ;;
                esac
                ;;
        esac
    else
        echo "postgres.sh: no PostgreSQL for the tests; the PostgreSQL store tests will be skipped" >&2
    fi
else
    set -euo pipefail
    _ewpg_main "$@"
fi
