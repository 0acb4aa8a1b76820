# Live-update and tree figures (./x live): 10,000 event streams on the default demo
# organisation while check-ins land, then the large organisation's quarter tree:
# its data time on the server and its first render in Chromium. Sourced by ./x.

LIVE_CLIENTS=${LIVE_CLIENTS:-10000}
LIVE_CHECK_INS=${LIVE_CHECK_INS:-40}

run_live() {
    phase "bootstrap" bootstrap_test
    phase "build (release)" build_all release
    LOAD_TMP=$(mktemp -d /tmp/cairn-live.XXXXXX)
    on_exit stop_load
    # Enough file descriptors for the streams on both ends.
    ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

    local url pid
    url=$(start_listening small "$SERVER_BIN" serve --bind 127.0.0.1:0 \
        --data-dir "$LOAD_TMP/small" --demo-if-empty)
    pid=$(tail -1 "$LOAD_TMP/pids")
    say "$LIVE_CLIENTS event streams, $LIVE_CHECK_INS check-ins"
    CAIRN_COOKIE=$(admin_cookie "$url" "$LOAD_TMP/small.log") node "$ROOT/tools/sse-load.mjs" "$url" "$pid" "$LIVE_CLIENTS" "$LIVE_CHECK_INS"

    phase "large demo" "$SERVER_BIN" demo --size large --log-level warn --data-dir "$LOAD_TMP/large"
    url=$(start_listening large "$SERVER_BIN" serve --bind 127.0.0.1:0 \
        --data-dir "$LOAD_TMP/large")
    local period cookie
    cookie=$(admin_cookie "$url" "$LOAD_TMP/large.log")
    local auth=(-H "Cookie: $cookie")
    period=$(curl -sf "${auth[@]}" "$url/tree" | grep -o 'name="period" value="[0-9]*"' | head -1 | grep -o '[0-9][0-9]*')
    [ -n "$period" ] || die "no period found on the tree page"
    say "the large organisation's current quarter (period $period)"
    local i tree=$LOAD_TMP/tree.json
    curl -s -o "$tree" "${auth[@]}" -H 'Accept: application/json' --data "period=$period" "$url/api/tree"
    node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1])).data;
        console.log(`tree: ${d.objectives.length} objectives and ${d.key_results.length} key results (${d.objectives.length + d.key_results.length} nodes)`)' "$tree"
    # Kept reads live 5 s: the first three runs read afresh, the last three are kept.
    for i in 1 2 3 4 5 6; do
        [ "$i" -le 3 ] && sleep 6
        curl -s -o /dev/null -w "tree data (/api/tree), run $i: %{time_total} s, %{size_download} bytes\n" \
            "${auth[@]}" -H 'Accept: application/json' --data "period=$period" "$url/api/tree"
    done
    curl -s -o /dev/null "${auth[@]}" -w "tree page HTML: %{time_total} s, %{size_download} bytes\n" "$url/tree?period=$period"
    curl -s -o /dev/null "${auth[@]}" -H 'Accept-Encoding: br' -w "tree page HTML (br): %{size_download} bytes\n" "$url/tree?period=$period"
    CAIRN_COOKIE=$cookie node "$ROOT/tools/tree-render.mjs" "$url" "$period" 5
}
