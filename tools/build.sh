# Builds the site (browser bundle, CSS, public files) and the server.
# Sourced by ./x after common.sh and bootstrap.sh.

# $1: release | debug
build_wasm() {
    local mode=$1 profile args=(-p app --lib --target "$WASM_TARGET" --features hydrate)
    if [ "$mode" = release ]; then profile=wasm-release; else profile=dev; fi
    args+=(--profile "$profile")
    if [ "$(wasm_route)" = rustup ]; then
        cargo build "${args[@]}"
    else
        # Debian's cargo and rustc first on PATH (rustup's proxies would shadow them),
        # the standard library rebuilt from rust-web-src, linked by LLVM's wasm-ld.
        PATH=/usr/bin:$PATH RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
            CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=$DEBIAN_WASM_LINKER \
            /usr/bin/cargo build "${args[@]}" -Zbuild-std=std,panic_abort
    fi
    local out_profile=$profile; [ "$profile" = dev ] && out_profile=debug
    WASM_FILE=$CARGO_TARGET_DIR/$WASM_TARGET/$out_profile/app.wasm
}

# $1: release | debug
bundle_site() {
    local mode=$1 pkg=$SITE_DIR/pkg
    rm -rf "$SITE_DIR" && mkdir -p "$pkg"
    wasm-bindgen --target web --no-typescript --out-dir "$pkg" --out-name "$BUNDLE_NAME" "$WASM_FILE"
    if [ "$mode" = release ]; then
        local opt=$ROOT/tools/node_modules/.bin/wasm-opt
        # The features rustc enables by default for wasm32 (all baseline in current
        # browsers); wasm-bindgen's output no longer declares them.
        "$opt" -Oz --strip-debug --strip-producers --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
            --enable-mutable-globals --enable-reference-types --enable-multivalue \
            "$pkg/${BUNDLE_NAME}_bg.wasm" -o "$pkg/${BUNDLE_NAME}_bg.wasm"
    fi
    cat "$ROOT"/style/*.css > "$pkg/$BUNDLE_NAME.css"
    cp -R "$ROOT"/public/. "$SITE_DIR"/
    if [ "$mode" = release ]; then
        node "$ROOT/tools/precompress.mjs" "$SITE_DIR"
    fi
}

# $1: release | debug
build_server() {
    if [ "$1" = release ]; then cargo build -p server --release; else cargo build -p server; fi
    local dir=debug; [ "$1" = release ] && dir=release
    SERVER_BIN=$CARGO_TARGET_DIR/$dir/cairn
}

# $1: release | debug
build_all() {
    build_wasm "$1"
    bundle_site "$1"
    build_server "$1"
}
