# Builds the site (browser bundle, CSS, public files) and the server.
# Sourced by ./x after common.sh and bootstrap.sh.

# The browser bundles: `cairn` with the islands every page uses, and one more per
# `hydrate-<name>` feature of app/Cargo.toml (`cairn-<name>`), which the pages that
# need it load. app/src/bundles.rs declares which islands and pages those are; each
# bundle is a small crate in bundles/ that links the app with its features.
bundle_suffixes() {
    sed -n 's/^hydrate-\([a-z]*\) = .*/\1/p' "$ROOT/app/Cargo.toml"
}

# $1: release | debug. The bundles share one target directory: the standard library
# and every dependency are compiled once, only the app and the final link once per
# bundle.
build_wasm() {
    local mode=$1 profile crate
    if [ "$mode" = release ]; then profile=wasm-release; else profile=dev; fi
    local out_profile=$profile; [ "$profile" = dev ] && out_profile=debug
    mkdir -p "$CARGO_TARGET_DIR/site-wasm"
    # One cargo call per bundle: cargo unifies the features of the packages one call
    # builds, and each bundle's app must have only its own.
    local flags=()
    [ "$mode" = release ] && flags=("${WASM_RELEASE_RUSTFLAGS[@]}")
    for crate in common $(bundle_suffixes); do
        WASM_RUSTFLAGS="${flags[*]}" cargo_wasm build -p "bundle-$crate" --target "$WASM_TARGET" --profile "$profile"
        local name=$BUNDLE_NAME; [ "$crate" = common ] || name=$BUNDLE_NAME-$crate
        cp "$CARGO_TARGET_DIR/$WASM_TARGET/$out_profile/bundle_$crate.wasm" \
            "$CARGO_TARGET_DIR/site-wasm/$name.wasm"
    done
}

# A release bundle panics without a word: a panic aborts on the spot (no message
# is formatted, so the formatting machinery is left out), panics carry no source
# location, and `{:?}` writes nothing (the browser code shows no Debug output).
# These need the standard library built with them: the Debian route only.
WASM_RELEASE_RUSTFLAGS=(-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none)

# Runs cargo for the wasm target with the toolchain this machine has. WASM_RUSTFLAGS:
# flags for the Debian route (see WASM_RELEASE_RUSTFLAGS).
cargo_wasm() {
    if [ "$(wasm_route)" = rustup ]; then
        cargo "$@"
    else
        # Debian's cargo and rustc first on PATH (rustup's proxies would shadow them),
        # the standard library rebuilt from rust-web-src, linked by LLVM's wasm-ld.
        PATH=/usr/bin:$PATH RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 RUSTFLAGS="${WASM_RUSTFLAGS:-}" \
            CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=$DEBIAN_WASM_LINKER \
            /usr/bin/cargo "$@" -Zbuild-std=std,panic_abort
    fi
}

# $1: release | debug. The site is made in a staging directory, then only the
# files that differ replace those in $SITE_DIR: a release server embeds the site
# and is rebuilt when a file in it changes, so an unchanged file keeps its time.
bundle_site() {
    local mode=$1 final=$SITE_DIR
    local SITE_DIR=$CARGO_TARGET_DIR/site-staging
    make_site "$mode"
    sync_dir "$SITE_DIR" "$final"
    rm -rf "$SITE_DIR"
}

# $1: from, $2: to. Copies what differs, removes what $1 lacks.
sync_dir() {
    local from=$1 to=$2 file
    mkdir -p "$to"
    (cd "$from" && find . -type f) | while read -r file; do
        if ! cmp -s "$from/$file" "$to/$file"; then
            mkdir -p "$(dirname "$to/$file")"
            cp "$from/$file" "$to/$file"
        fi
    done
    (cd "$to" && find . -type f) | while read -r file; do
        [ -e "$from/$file" ] || rm -f "$to/$file"
    done
}

# $1: release | debug. Writes the site into $SITE_DIR.
make_site() {
    local mode=$1 pkg=$SITE_DIR/pkg name wasm
    await_wasm_bindgen
    rm -rf "$SITE_DIR" && mkdir -p "$pkg"
    local names=("$BUNDLE_NAME") suffix
    for suffix in $(bundle_suffixes); do names+=("$BUNDLE_NAME-$suffix"); done
    for name in "${names[@]}"; do
        wasm=$CARGO_TARGET_DIR/site-wasm/$name.wasm
        wasm-bindgen --target web --no-typescript --out-dir "$pkg" --out-name "$name" "$wasm"
        if [ "$mode" = release ]; then
            local opt=$ROOT/tools/node_modules/.bin/wasm-opt
            # The features rustc enables by default for wasm32 (all baseline in current
            # browsers); wasm-bindgen's output no longer declares them.
            "$opt" -Oz --strip-debug --strip-producers --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
                --enable-mutable-globals --enable-reference-types --enable-multivalue \
                "$pkg/${name}_bg.wasm" -o "$pkg/${name}_bg.wasm"
        fi
    done
    cat "$ROOT"/style/*.css > "$pkg/$BUNDLE_NAME.css"
    cp -R "$ROOT"/public/. "$SITE_DIR"/
    if [ "$mode" = release ]; then
        node "$ROOT/tools/precompress.mjs" "$SITE_DIR"
    fi
}

# $1: release | debug. A release server embeds the site as it is now: the one in
# the target directory, $SITE_DIR (see server/build.rs).
build_server() {
    if [ "$1" = release ]; then cargo build -p server --release; else cargo build -p server; fi
}

# $1: release | debug. Sets SERVER_BIN.
server_bin() {
    local dir=debug; [ "$1" = release ] && dir=release
    SERVER_BIN=$CARGO_TARGET_DIR/$dir/cairn
}

# $1: release | debug. The server builds beside the bundles: each bundle's final
# link is one long single-threaded step, and the server's crates use the other
# core meanwhile (the two builds lock different directories of the target). Then
# it builds once more, which embeds the new site if it changed (only the server
# crate compiles again) and does nothing if it did not. The first build may see a
# site being rewritten: only the second counts.
build_all() {
    SERVER_BUILD_LOG=$(mktemp)
    build_server "$1" >"$SERVER_BUILD_LOG" 2>&1 &
    SERVER_BUILD=$!
    on_exit stop_server_build
    build_wasm "$1"
    bundle_site "$1"
    say "waiting for the server build"
    wait "$SERVER_BUILD" || true
    SERVER_BUILD=
    rm -f "$SERVER_BUILD_LOG"
    say "embedding the site in the server"
    build_server "$1" || die "the server did not build"
    server_bin "$1"
}

# An exit hook: a server build still running when ./x ends (a failed bundle) stops.
stop_server_build() {
    if [ -n "${SERVER_BUILD:-}" ]; then
        # The background function's shell, and cargo under it.
        kill $(pgrep -P "$SERVER_BUILD") "$SERVER_BUILD" 2>/dev/null || true
        wait "$SERVER_BUILD" 2>/dev/null || true
    fi
    rm -f "${SERVER_BUILD_LOG:-}"
}
