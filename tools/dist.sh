# The release archive and the check that its executable alone serves the portal.
# Sourced by ./x after the other helpers.

# Builds (release) and packs $DIST_ARCHIVE: the executable with the site inside it,
# the operators' README, a sample configuration, the nginx example, a systemd unit
# and a checksum of each; beside it the archive's own checksum.
make_dist() {
    local version commit name dir
    version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml" | head -1)
    commit=$(git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
    name=cairn-$version-$(uname -m)-linux
    dir=$CARGO_TARGET_DIR/dist/$name
    rm -rf "$dir" && mkdir -p "$dir"
    # Without its symbol table (two thirds of the file): backtraces lose names,
    # operators get a third of the download.
    strip --strip-all -o "$dir/cairn" "$SERVER_BIN"
    cp "$ROOT/dist/README.md" "$ROOT/dist/cairn.toml" "$ROOT/dist/cairn.service" \
        "$ROOT/dist/nginx.conf" "$ROOT/dist/Caddyfile" "$dir/"
    (cd "$dir" && sha256sum cairn README.md cairn.toml cairn.service nginx.conf Caddyfile > SHA256SUMS)
    DIST_ARCHIVE=$CARGO_TARGET_DIR/dist/$name.tar.gz
    tar -C "$CARGO_TARGET_DIR/dist" --owner=0 --group=0 -czf "$DIST_ARCHIVE" "$name"
    (cd "$CARGO_TARGET_DIR/dist" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
    verify_unit "$dir/cairn.service" "$dir/cairn"
    say "$(basename "$DIST_ARCHIVE") ($(du -h "$DIST_ARCHIVE" | cut -f1), commit $commit): $DIST_ARCHIVE"
}

# $1: the unit, $2: the executable it starts. systemd-analyze checks the unit in a
# root holding the executable where the unit says and the system's own units; any
# word from it (an unknown key is only a warning to it) is a failure.
verify_unit() {
    command -v systemd-analyze >/dev/null || apt_install systemd
    local root; root=$(mktemp -d)
    mkdir -p "$root/usr/local/bin" "$root/etc/systemd/system" "$root/usr/lib/systemd"
    cp -r /lib/systemd/system "$root/usr/lib/systemd/"
    cp "$2" "$root/usr/local/bin/cairn"
    cp "$1" "$root/etc/systemd/system/cairn.service"
    local said
    said=$(systemd-analyze verify --man=no --root="$root" "$root/etc/systemd/system/cairn.service" 2>&1) \
        && [ -z "$said" ] || { rm -rf "$root"; die "systemd-analyze verify refused $1: $said"; }
    rm -rf "$root"
}

# Unpacks the archive into an empty directory and starts its executable there,
# with nothing beside it: it must serve pages and the bundle named in them.
# Prints its size, its start time to the first answer and its memory when idle.
check_dist() {
    local tmp; tmp=$(mktemp -d)
    tar -C "$tmp" -xzf "$DIST_ARCHIVE"
    local dir; dir=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d)
    (cd "$dir" && sha256sum -c --quiet SHA256SUMS) || die "the archive's checksums do not match"
    mkdir "$tmp/empty" && mv "$dir/cairn" "$tmp/empty/" && rm -rf "$dir"
    local log=$tmp/serve.log started=$(date +%s%N)
    (cd "$tmp/empty" && exec ./cairn serve --bind 127.0.0.1:0 >"$log" 2>&1) &
    local pid=$! url=""
    for _ in $(seq 600); do
        url=$(grep -o 'listening on http://127\.0\.0\.1:[0-9]*' "$log" | head -1 | cut -d' ' -f3 || true)
        [ -n "$url" ] && curl -sf -o /dev/null "$url/healthz" && break
        kill -0 "$pid" 2>/dev/null || die "the archive's cairn did not start: $(cat "$log")"
        sleep 0.05
    done
    [ -n "$url" ] || die "the archive's cairn did not listen: $(cat "$log")"
    local first_answer=$(( ($(date +%s%N) - started) / 1000000 ))
    local page bundle
    page=$(curl -sf "$url/sign-in") || die "no sign-in page from the archive's cairn"
    bundle=$(grep -o '/pkg/[0-9a-f]\{16\}/cairn\.js' <<<"$page" | head -1)
    [ -n "$bundle" ] || die "the sign-in page names no bundle: $page"
    local headers; headers=$(curl -sf -D - -o "$tmp/bundle.wasm.br" -H 'Accept-Encoding: br' "$url${bundle%.js}_bg.wasm")
    grep -qi '^cache-control: public, max-age=31536000, immutable' <<<"$headers" || die "the bundle is not cached for good: $headers"
    grep -qi '^content-encoding: br' <<<"$headers" || die "the bundle is not sent precompressed: $headers"
    cmp -s "$tmp/bundle.wasm.br" "$SITE_DIR/pkg/${BUNDLE_NAME}_bg.wasm.br" || die "the embedded bundle is not the built one"
    curl -sf -o /dev/null "$url/favicon.svg" || die "no public files from the archive's cairn"
    local rss; rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
    kill "$pid"; wait "$pid" 2>/dev/null || true
    printf '  one file: %s MB, first answer after %s ms, %s MB resident when idle\n' \
        "$(( $(stat -c %s "$tmp/empty/cairn") / 1000000 ))" "$first_answer" "$(( rss / 1024 ))"
    rm -rf "$tmp"
}
