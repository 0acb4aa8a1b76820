# A throwaway PostgreSQL server from the machine's own binaries: a temp directory,
# a free port, trust authentication on loopback, removed when ./x exits.
# Sourced by ./x after common.sh and bootstrap.sh.

pg_bin_dir() {
    find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -1
}

ensure_postgres() {
    [ -n "$(pg_bin_dir)" ] && [ -x "$(pg_bin_dir)/initdb" ] || apt_install postgresql
    [ -x "$(pg_bin_dir)/initdb" ] || die "PostgreSQL is installed but initdb is missing under /usr/lib/postgresql"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Starts the server and exports CAIRN_TEST_POSTGRES_URL (an admin URL tests may
# create databases with). $1: extra postgres settings, e.g. "-c fsync=off".
start_throwaway_postgres() {
    local extra=${1:-} bin port
    bin=$(pg_bin_dir)
    port=$(free_port)
    PG_TMP=$(mktemp -d /tmp/cairn-pg.XXXXXX)
    on_exit stop_throwaway_postgres
    # PostgreSQL refuses to run as root; when we are root, it runs as its own user.
    PG_AS=()
    if [ "$(id -u)" = 0 ]; then
        chown postgres "$PG_TMP"
        PG_AS=(runuser -u postgres --)
    fi
    "${PG_AS[@]}" "$bin/initdb" -D "$PG_TMP/data" -U postgres --auth=trust -E UTF8 --no-instructions >"$PG_TMP/initdb.log" 2>&1 \
        || die "initdb failed: $(cat "$PG_TMP/initdb.log")"
    "${PG_AS[@]}" "$bin/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 60 \
        -o "-p $port -k $PG_TMP -c listen_addresses=127.0.0.1 -c max_connections=200 $extra" start >/dev/null \
        || die "PostgreSQL did not start: $(cat "$PG_TMP/server.log")"
    export CAIRN_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
    say "throwaway PostgreSQL on port $port"
}

stop_throwaway_postgres() {
    [ -n "${PG_TMP:-}" ] && [ -d "$PG_TMP" ] || return 0
    "${PG_AS[@]}" "$(pg_bin_dir)/pg_ctl" -D "$PG_TMP/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_TMP"
}
