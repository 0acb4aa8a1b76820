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
    start_bench_smtp
    phase "storage benchmark" env \
        CAIRN_BENCH_SMTP_PORT="$BENCH_SMTP_PORT" \
        CAIRN_BENCH_SQLITE_DIR="$BENCH_TMP" \
        CAIRN_BENCH_POSTGRES="$CAIRN_TEST_POSTGRES_URL" \
        CAIRN_BENCH_LARGE_SQLITE="$BENCH_TMP/large/cairn.db" \
        CAIRN_BENCH_LARGE_POSTGRES="$pg_large" \
        cargo bench -q -p app --features ssr --bench storage
}

timed_demo() {
    /usr/bin/time -f '  demo: %e s wall, %M KB peak memory' "$SERVER_BIN" demo --size large --log-level warn "$@"
}

# The test SMTP server (tools/smtp) on a free port, for the mail throughput.
start_bench_smtp() {
    apt_install python3-aiosmtpd
    /usr/bin/python3 "$ROOT/tools/smtp/server.py" --dir "$BENCH_TMP/mailbox" --control "$BENCH_TMP/smtp.json" \
        >"$BENCH_TMP/smtp.log" 2>&1 &
    BENCH_SMTP=$!
    on_exit stop_bench_smtp
    for _ in $(seq 100); do
        BENCH_SMTP_PORT=$(sed -n 's/^listening on smtp:\/\/127\.0\.0\.1://p' "$BENCH_TMP/smtp.log")
        [ -n "$BENCH_SMTP_PORT" ] && return 0
        sleep 0.1
    done
    die "the test SMTP server did not start: $(cat "$BENCH_TMP/smtp.log")"
}

stop_bench_smtp() {
    [ -n "${BENCH_SMTP:-}" ] && kill "$BENCH_SMTP" 2>/dev/null || true
}

remove_bench_tmp() {
    [ -n "${BENCH_TMP:-}" ] && rm -rf "$BENCH_TMP"
}
