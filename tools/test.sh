# Test, watch and size commands. Sourced by ./x after the other helpers.

run_all_tests() {
    phase "bootstrap" bootstrap_test
    ensure_postgres
    phase "format" cargo fmt --all -- --check
    # The release build (bundles and server) runs beside the checks below: much of
    # a compile is one thread (a crate's front end, each bundle's final link), so the
    # two streams of work fill both cores. The browser tests wait for it.
    start_release_build
    phase "clippy (server build)" cargo clippy --workspace --all-targets --locked -- -D warnings
    # Every bundle's features at once: each island's code is then checked as an
    # island, and the plain components are the same code in every build.
    local bundles=hydrate suffix
    for suffix in $(bundle_suffixes); do bundles+=",hydrate-$suffix"; done
    phase "clippy (browser builds)" cargo clippy -p app --lib --features "$bundles" --locked -- -D warnings
    phase "throwaway PostgreSQL" start_throwaway_postgres "-c fsync=off -c synchronous_commit=off"
    phase "unit, storage, server tests" cargo test --workspace --locked
    phase "build (release), rest" finish_release_build
    phase "archive" make_dist
    phase "the archive's executable alone" check_dist
    local day
    for day in $BROWSER_DAYS; do
        phase "browser tests on $day" run_browser_tests "$day" "$@"
    done
}

# Starts `./x build` (release) in a process group of its own, logging to a file.
# Sets RELEASE_BUILD (its pid) and RELEASE_BUILD_LOG.
start_release_build() {
    RELEASE_BUILD_LOG=$(mktemp)
    setsid "$ROOT/x" build >"$RELEASE_BUILD_LOG" 2>&1 &
    RELEASE_BUILD=$!
    on_exit stop_release_build
    say "release build started beside the checks (log: $RELEASE_BUILD_LOG)"
}

# Waits for the release build, prints its phase timings (all of its log when it
# failed) and sets SERVER_BIN.
finish_release_build() {
    local status=0
    wait "$RELEASE_BUILD" || status=$?
    RELEASE_BUILD=
    if [ "$status" -ne 0 ]; then
        cat "$RELEASE_BUILD_LOG" >&2
        die "the release build failed"
    fi
    sed -n '/^Phase timings:/,$p' "$RELEASE_BUILD_LOG" | sed 's/^/  release build: /' >&2
    rm -f "$RELEASE_BUILD_LOG"
    server_bin release
}

# An exit hook: a release build still running when ./x test ends (a check failed)
# stops, with every cargo under it.
stop_release_build() {
    if [ -n "${RELEASE_BUILD:-}" ]; then
        kill -- -"$RELEASE_BUILD" 2>/dev/null || true
        wait "$RELEASE_BUILD" 2>/dev/null || true
        RELEASE_BUILD=
    fi
    rm -f "${RELEASE_BUILD_LOG:-}"
}

# The days the browser journeys run on, each with a demo generated for it: one in
# the middle of a quarter, and the last day of a quarter that is also a year's.
# The server and the demo take "today" from CAIRN_TODAY, so the journeys pass
# whatever the real date is.
BROWSER_DAYS=${CAIRN_TEST_DAYS:-"2026-11-18 2026-12-31"}

# $1: the day to run on; the rest goes to Playwright.
run_browser_tests() {
    local day=$1; shift
    (cd "$ROOT/end2end" && CAIRN_TODAY=$day CAIRN_BIN=$SERVER_BIN npx playwright test "$@")
}

# Starts the built server on a free port with a throwaway data directory holding the
# default demo organisation.
# Sets SERVER_URL and SERVER_PID. $1: the data directory.
start_server() {
    local log=$1/server.log
    NO_COLOR=1 "$SERVER_BIN" serve --bind 127.0.0.1:0 --data-dir "$1" --demo-if-empty >"$log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 300); do
        SERVER_URL=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log" | head -1 || true)
        [ -n "$SERVER_URL" ] && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    die "the server did not start: $(cat "$log")"
}

report_size() {
    local tmp; tmp=$(mktemp -d)
    start_server "$tmp"
    # Pages answer a reader who is not signed in with a redirect: read them as the
    # first admin, on the default demo organisation.
    local cookie total=0 size path
    cookie=$(admin_cookie "$SERVER_URL" "$tmp/server.log")
    printf '\nInitial page transfer with Accept-Encoding: br (signed in)\n'
    for path in / /pkg/$BUNDLE_NAME.js /pkg/${BUNDLE_NAME}_bg.wasm /pkg/$BUNDLE_NAME.css; do
        size=$(curl -s -H "Cookie: $cookie" -H 'Accept-Encoding: br' -o /dev/null -w '%{size_download}' "$SERVER_URL$path")
        printf '  %-24s %8s B\n' "$path" "$size"
        total=$((total + size))
    done
    printf '  %-24s %8s B (%s KB)\n' total "$total" $((total / 1000))
    local wasm=$SITE_DIR/pkg/${BUNDLE_NAME}_bg.wasm
    printf '\nwasm: raw %s B, gzip %s B, brotli %s B\n' \
        "$(stat -c %s "$wasm")" "$(stat -c %s "$wasm.gz")" "$(stat -c %s "$wasm.br")"
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
    rm -rf "$tmp"
}

watch_loop() {
    apt_install inotify-tools
    phase "bootstrap" bootstrap_build
    local pid=""
    trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; exit 0' INT TERM
    while true; do
        if build_all debug; then
            "$SERVER_BIN" serve --site-root "$SITE_DIR" "$@" &
            pid=$!
        else
            pid=""
            say "build failed; waiting for the next change"
        fi
        inotifywait -qq -r -e modify,create,delete,move --exclude '(/\.git/|/node_modules/|~$|\.swp$)' \
            "$ROOT/src" "$ROOT/app" "$ROOT/server" "$ROOT/style" "$ROOT/public" "$ROOT/Cargo.toml"
        if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; fi
        say "change seen: rebuilding"
    done
}
