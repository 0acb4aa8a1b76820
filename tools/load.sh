# Page load figures (./x load): the large demo organisation served from SQLite,
# its front page, unit pages and My OKRs under 50, 100 and 500 concurrent clients,
# beside axum serving a static "hello" on the same machine in the same run. Every
# failed request (a connection error, a time-out, an answer other than 2xx) is
# counted and shown. Sourced by ./x.

LOAD_CLIENTS=${LOAD_CLIENTS:-"50 100 500"}
LOAD_SECONDS=${LOAD_SECONDS:-15}

run_load() {
    phase "bootstrap" bootstrap_build
    apt_install wrk
    phase "build (release)" build_all release
    phase "build hello" cargo build -q --release -p hello
    LOAD_TMP=$(mktemp -d /tmp/cairn-load.XXXXXX)
    on_exit stop_load
    phase "large demo" "$SERVER_BIN" demo --size large --log-level warn --data-dir "$LOAD_TMP/data"

    local hello_url cairn_url unit
    hello_url=$(start_listening hello "$CARGO_TARGET_DIR/release/hello" 127.0.0.1:0)
    cairn_url=$(start_listening cairn "$SERVER_BIN" serve --bind 127.0.0.1:0 \
        --data-dir "$LOAD_TMP/data")
    # Everyone reads signed in: the first admin's session for every request.
    COOKIE=$(admin_cookie "$cairn_url" "$LOAD_TMP/cairn.log")
    # The first department: a unit with sub-units, members and objectives.
    unit=$(curl -sf -H "Cookie: $COOKIE" "$cairn_url/units/1" | grep -o 'href="/units/[0-9]*"' | sed -n 1p | grep -o '[0-9]*')
    [ -n "$unit" ] || die "no department found on the organisation's unit page"

    ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
    local clients
    for clients in $LOAD_CLIENTS; do
        printf '\n%s clients\n%-22s %9s %9s %9s %8s %11s %11s\n' "$clients" page "p50" "p99" "req/s" "failed" "bytes" "bytes (br)"
        measure "$clients" "axum hello" "$hello_url/"
        measure "$clients" "front page" "$cairn_url/"
        measure "$clients" "unit page" "$cairn_url/units/$unit"
        measure "$clients" "organisation unit" "$cairn_url/units/1"
        measure "$clients" "My OKRs" "$cairn_url/my"
        measure "$clients" "sign-in page" "$cairn_url/sign-in"
    done
    printf '\n%s s each (wrk, 2 threads, Accept-Encoding: br); server time is measured on\n' "$LOAD_SECONDS"
    printf 'loopback and includes brotli compression of the page. failed: connection errors,\n'
    printf 'time-outs and answers other than 2xx.\n'
    if grep -q 'panicked' "$LOAD_TMP/cairn.log"; then
        grep -m 5 'panicked' "$LOAD_TMP/cairn.log" >&2
        die "the server panicked under load"
    fi
}

# Starts a server in the background and prints the URL it announces.
start_listening() {
    local name=$1; shift
    "$@" >"$LOAD_TMP/$name.log" 2>&1 &
    echo $! >>"$LOAD_TMP/pids"
    local i
    for i in $(seq 1 100); do
        if grep -qo 'listening on http://[0-9.:]*' "$LOAD_TMP/$name.log"; then
            grep -o 'http://[0-9.:]*' "$LOAD_TMP/$name.log" | head -1
            return
        fi
        sleep 0.1
    done
    cat "$LOAD_TMP/$name.log" >&2
    die "$name did not start"
}

# One line of the table: latency percentiles, throughput and failures from wrk,
# page sizes from curl. $1: clients, $2: the page's name, $3: its URL.
measure() {
    local clients=$1 name=$2 url=$3 out raw br failed
    local auth=(-H "Cookie: ${COOKIE:-none=0}")
    curl -sf -o /dev/null "${auth[@]}" "$url" || die "$url does not answer 200"
    raw=$(curl -s -o /dev/null "${auth[@]}" -w '%{size_download}' "$url")
    br=$(curl -s -o /dev/null "${auth[@]}" -H 'Accept-Encoding: br' -w '%{size_download}' "$url")
    out=$(wrk -t2 -c"$clients" -d"${LOAD_SECONDS}s" --timeout 10s --latency -H 'Accept-Encoding: br' "${auth[@]}" "$url")
    # "Socket errors: connect 0, read 1, write 0, timeout 3" and "Non-2xx or 3xx responses: 5".
    failed=$(awk '/Socket errors/ { gsub(",", ""); n += $4 + $6 + $8 + $10 } /Non-2xx/ { n += $NF } END { print n + 0 }' <<<"$out")
    printf '%-22s %9s %9s %9s %8s %11s %11s\n' "$name" \
        "$(awk '$1 == "50%" { print $2 }' <<<"$out")" \
        "$(awk '$1 == "99%" { print $2 }' <<<"$out")" \
        "$(awk '/Requests\/sec/ { printf "%.0f", $2 }' <<<"$out")" \
        "$failed" "$raw" "$br"
}

stop_load() {
    [ -n "${LOAD_TMP:-}" ] || return 0
    if [ -f "$LOAD_TMP/pids" ]; then
        xargs -r kill <"$LOAD_TMP/pids" 2>/dev/null || true
        sleep 0.5
    fi
    rm -rf "$LOAD_TMP"
}
