# Builds the site (browser bundle, CSS, public files) and the server.
# Sourced by ./x after common.sh and bootstrap.sh.

# The browser bundles: `cairn` with the islands every page uses, and one more per
# `hydrate-<name>` feature of app/Cargo.toml (`cairn-<name>`), which the pages that
# need it load. app/src/bundles.rs declares which islands and pages those are.
bundle_suffixes() {
    sed -n 's/^hydrate-\([a-z]*\) = .*/\1/p' "$ROOT/app/Cargo.toml"
}

# $1: release | debug
build_wasm() {
    build_one_wasm "$1" ""
    local suffix
    for suffix in $(bundle_suffixes); do
        build_one_wasm "$1" "$suffix"
    done
}

# $1: release | debug, $2: the bundle's suffix (empty: the common one). Each larger
# bundle builds in a target directory of its own: cargo names a cdylib without a
# hash, so two feature sets in one directory would overwrite, and rebuild, each
# other every time.
build_one_wasm() {
    local mode=$1 suffix=$2 profile args target=$CARGO_TARGET_DIR features=hydrate name=$BUNDLE_NAME
    if [ -n "$suffix" ]; then
        features=hydrate,hydrate-$suffix
        target=$CARGO_TARGET_DIR/$suffix-bundle
        name=$BUNDLE_NAME-$suffix
    fi
    args=(-p app --lib --target "$WASM_TARGET" --features "$features")
    if [ "$mode" = release ]; then profile=wasm-release; else profile=dev; fi
    args+=(--profile "$profile")
    if [ "$(wasm_route)" = rustup ]; then
        CARGO_TARGET_DIR=$target cargo build "${args[@]}"
    else
        # Debian's cargo and rustc first on PATH (rustup's proxies would shadow them),
        # the standard library rebuilt from rust-web-src, linked by LLVM's wasm-ld.
        PATH=/usr/bin:$PATH RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=$target \
            CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=$DEBIAN_WASM_LINKER \
            /usr/bin/cargo build "${args[@]}" -Zbuild-std=std,panic_abort
    fi
    local out_profile=$profile; [ "$profile" = dev ] && out_profile=debug
    mkdir -p "$CARGO_TARGET_DIR/site-wasm"
    cp "$target/$WASM_TARGET/$out_profile/app.wasm" "$CARGO_TARGET_DIR/site-wasm/$name.wasm"
}

# $1: release | debug
bundle_site() {
    local mode=$1 pkg=$SITE_DIR/pkg name wasm
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
