# Benchmarks: figures to read, not tests to pass (./x bench). Sourced by ./x.

run_benchmarks() {
    phase "bootstrap" bootstrap_build
    ensure_postgres
    apt_install time
    phase "build (release)" build_server release
    server_bin release
    BENCH_TMP=$(mktemp -d /tmp/cairn-bench.XXXXXX)
    on_exit remove_bench_tmp
    # Default durability this time: fsync on, as a real server runs.
    phase "throwaway PostgreSQL" start_throwaway_postgres ""
    local pg_large=${CAIRN_TEST_POSTGRES_URL%/*}/cairn_large
    "$(pg_bin_dir)/psql" -q "$CAIRN_TEST_POSTGRES_URL" -c "CREATE DATABASE cairn_large"

    phase "large demo (SQLite)" timed_demo --data-dir "$BENCH_TMP/large"
    phase "large demo (PostgreSQL)" timed_demo --data-dir "$BENCH_TMP/pg" --database-url "$pg_large"
    phase "storage benchmark" env \
        CAIRN_BENCH_SQLITE_DIR="$BENCH_TMP" \
        CAIRN_BENCH_POSTGRES="$CAIRN_TEST_POSTGRES_URL" \
        CAIRN_BENCH_LARGE_SQLITE="$BENCH_TMP/large/cairn.db" \
        CAIRN_BENCH_LARGE_POSTGRES="$pg_large" \
        cargo bench -q -p app --features ssr --bench storage
}

timed_demo() {
    /usr/bin/time -f '  demo: %e s wall, %M KB peak memory' "$SERVER_BIN" demo --size large --log-level warn "$@"
}

remove_bench_tmp() {
    [ -n "${BENCH_TMP:-}" ] && rm -rf "$BENCH_TMP"
}
