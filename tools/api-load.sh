# API figures (./x api): check-ins a second through /api/v1 with 16 concurrent
# clients (wrk), on SQLite and on PostgreSQL, and a webhook's delivery latency
# from commit to receipt (p50, p99) at a steady pace, measured by the test
# receiver (tools/webhooks/receiver.py) on loopback. Sourced by ./x.

API_CLIENTS=${API_CLIENTS:-16}
API_SECONDS=${API_SECONDS:-15}
API_EVENTS=${API_EVENTS:-300}

run_api_load() {
    phase "bootstrap" bootstrap_build
    apt_install wrk
    phase "build (release)" build_all release
    LOAD_TMP=$(mktemp -d /tmp/cairn-api.XXXXXX)
    on_exit stop_load
    ensure_postgres
    phase "throwaway PostgreSQL" start_throwaway_postgres ""
    "$(pg_bin_dir)/psql" -q "$CAIRN_TEST_POSTGRES_URL" -c "CREATE DATABASE cairn_api_load"
    api_figures sqlite "$LOAD_TMP/sqlite" ""
    api_figures postgresql "$LOAD_TMP/pg" "${CAIRN_TEST_POSTGRES_URL%/*}/cairn_api_load"
    printf '\nwrk, 2 threads; each request checks in on the next metric key result of the demo.\n'
}

# $1: the database's name, $2: a data directory, $3: a PostgreSQL URL or empty.
api_figures() {
    local name=$1 dir=$2 url=$3 db=() cairn token krs receiver hook secret
    mkdir -p "$dir"
    [ -n "$url" ] && db=(--database-url "$url")
    "$SERVER_BIN" demo --log-level warn --data-dir "$dir" "${db[@]}" >/dev/null
    cairn=$(start_listening "cairn-$name" "$SERVER_BIN" serve --bind 127.0.0.1:0 --data-dir "$dir" "${db[@]}" \
        --api-requests-per-minute 1000000 --webhook-allow-private)
    COOKIE=$(admin_cookie "$cairn" "$LOAD_TMP/cairn-$name.log")
    token=$(api_token "$cairn")
    # The metric key results of the running quarter's active objectives.
    local period
    period=$(curl -sf -H "Authorization: Bearer $token" "$cairn/api/v1/periods" \
        | /usr/bin/python3 -c 'import json,sys; print(next(p["id"] for p in json.load(sys.stdin)["items"] if p["state"] == "active" and p["kind"] == "quarter"))')
    krs=$(curl -sf -H "Authorization: Bearer $token" "$cairn/api/v1/objectives?period=$period&state=active&limit=200" \
        | /usr/bin/python3 -c 'import json,sys; print(",".join(str(k["id"]) for o in json.load(sys.stdin)["items"] for k in o["key_results"] if k["kind"] == "metric"))')
    [ -n "$krs" ] || die "no metric key results to check in on"

    local out failed
    out=$(KRS=$krs TOKEN=$token wrk -t2 -c"$API_CLIENTS" -d"${API_SECONDS}s" --timeout 10s --latency \
        -s "$ROOT/tools/api-check-in.lua" "$cairn")
    failed=$(awk '/Socket errors/ { gsub(",", ""); n += $4 + $6 + $8 + $10 } /Non-2xx/ { n += $NF } END { print n + 0 }' <<<"$out")
    printf '\n%s: check-ins through the API, %s clients, %s s\n' "$name" "$API_CLIENTS" "$API_SECONDS"
    printf '  %s check-ins/s, p50 %s, p99 %s, %s failed\n' \
        "$(awk '/Requests\/sec/ { printf "%.0f", $2 }' <<<"$out")" \
        "$(awk '$1 == "50%" { print $2 }' <<<"$out")" "$(awk '$1 == "99%" { print $2 }' <<<"$out")" "$failed"

    # A webhook on check-ins, then check-ins one after another: each event's
    # time (its commit) against the moment the receiver got it.
    receiver=$(start_listening "receiver-$name" /usr/bin/python3 "$ROOT/tools/webhooks/receiver.py")
    hook=$(curl -s -o /dev/null -D - -H "Cookie: $COOKIE" --data-urlencode "url=$receiver/hook" \
        --data "kinds=check-ins" "$cairn/webhooks" | grep -i '^location:' | tr -d '\r' | awk '{ print $2 }')
    secret=$(curl -sf -H "Cookie: $COOKIE" "$cairn$hook" | grep -o 'whsec_[A-Za-z0-9+/=]*' | head -1)
    [ -n "$secret" ] || die "the webhook was not subscribed ($hook)"
    curl -sf -o /dev/null -X POST --data "{\"secret\": \"$secret\", \"fail\": 0}" "$receiver/control"
    local i kr
    IFS=, read -r -a kr <<<"$krs"
    for i in $(seq 1 "$API_EVENTS"); do
        curl -sf -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
            --data "{\"value\": $i, \"confidence\": 7}" "$cairn/api/v1/key-results/${kr[$((i % ${#kr[@]}))]}/check-ins" \
            || die "a check-in failed"
        sleep 0.02
    done
    /usr/bin/python3 - "$receiver" "$API_EVENTS" <<'PY'
import datetime, json, sys, time, urllib.request
url, want = sys.argv[1], int(sys.argv[2])
deadline = time.time() + 120
while True:
    got = [r for r in json.load(urllib.request.urlopen(url + "/received")) if r["status"] == 200]
    if len(got) >= want or time.time() > deadline:
        break
    time.sleep(0.2)
lat = sorted(
    r["at_ms"] - datetime.datetime.fromisoformat(r["body"]["timestamp"].replace("Z", "+00:00")).timestamp() * 1000
    for r in got
)
if not lat:
    sys.exit("no webhook delivery arrived")
pick = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
bad = sum(1 for r in got if not r["verified"])
print(f"  webhook: {len(got)} of {want} events, commit to receipt p50 {pick(0.5):.0f} ms, p99 {pick(0.99):.0f} ms, max {lat[-1]:.0f} ms, {bad} badly signed")
PY
}

# Makes a token with the read and check-in scopes through the account page's form.
api_token() {
    local url=$1
    curl -s -o /dev/null -H "Cookie: $COOKIE" --data "name=load&scopes=read&scopes=check-in&days=" "$url/account/tokens"
    curl -sf -H "Cookie: $COOKIE" "$url/account" | grep -o 'cairn_[A-Za-z0-9_-]\{20,\}' | head -1
}
