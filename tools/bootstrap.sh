# Makes sure the tools the build needs are present. Idempotent: when everything is
# there it only checks, in a few seconds. Installs only from the package registries
# (Debian, crates.io, npm). Sourced by ./x after common.sh.

apt_install() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    command -v apt-get >/dev/null || die "missing packages ${missing[*]} and no apt-get to install them"
    say "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_wasm_toolchain() {
    if [ "$(wasm_route)" = debian ]; then
        # rustup cannot fetch the wasm32 target here: Debian's web toolchain builds
        # the standard library from source instead.
        apt_install rustc-web cargo-web rust-web-src lld-19
        [ -x "$DEBIAN_WASM_LINKER" ] || die "lld-19 is installed but $DEBIAN_WASM_LINKER is missing"
    fi
}

# Is the wasm-bindgen CLI at the version Cargo.lock pins missing? Sets WASM_BINDGEN_WANT.
wasm_bindgen_missing() {
    local have=""
    WASM_BINDGEN_WANT=$(locked_wasm_bindgen_version)
    [ -n "$WASM_BINDGEN_WANT" ] || die "cannot read the wasm-bindgen version from Cargo.lock"
    command -v wasm-bindgen >/dev/null && have=$(wasm-bindgen --version | awk '{print $2}')
    [ "$have" != "$WASM_BINDGEN_WANT" ]
}

install_wasm_bindgen() {
    # Its own target directory: the shared one's release lock belongs to the server
    # build. Not --locked: the CLI's own lock pins a crate version the registry no
    # longer has.
    local dir; dir=$(mktemp -d)
    CARGO_TARGET_DIR=$dir cargo install --quiet wasm-bindgen-cli --version "$WASM_BINDGEN_WANT" \
        || { rm -rf "$dir"; return 1; }
    rm -rf "$dir"
}

ensure_wasm_bindgen() {
    if wasm_bindgen_missing; then
        say "installing wasm-bindgen-cli $WASM_BINDGEN_WANT; a few minutes, once"
        install_wasm_bindgen
    fi
}

# On a fresh machine the CLI compiles while the build does (it is needed only once
# the bundles are linked): see await_wasm_bindgen.
WASM_BINDGEN_INSTALL=
start_wasm_bindgen() {
    if wasm_bindgen_missing; then
        say "installing wasm-bindgen-cli $WASM_BINDGEN_WANT beside the build; once"
        WASM_BINDGEN_LOG=$(mktemp)
        install_wasm_bindgen >"$WASM_BINDGEN_LOG" 2>&1 &
        WASM_BINDGEN_INSTALL=$!
        # A command that never links a bundle still leaves the CLI installed.
        on_exit await_wasm_bindgen
    fi
}

await_wasm_bindgen() {
    [ -n "$WASM_BINDGEN_INSTALL" ] || return 0
    say "waiting for wasm-bindgen-cli"
    if ! wait "$WASM_BINDGEN_INSTALL"; then
        cat "$WASM_BINDGEN_LOG" >&2
        die "wasm-bindgen-cli did not install"
    fi
    WASM_BINDGEN_INSTALL=
    rm -f "$WASM_BINDGEN_LOG"
}

ensure_node() {
    command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
}

# Installs a folder's npm packages when they are missing or older than its lock file.
npm_folder() {
    local dir=$1
    if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
        say "installing npm packages in ${dir#"$ROOT"/}"
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    fi
}

# What a build needs; the wasm-bindgen CLI may still be compiling when it returns.
bootstrap_build() {
    ensure_wasm_toolchain
    ensure_node
    npm_folder "$ROOT/tools"
    start_wasm_bindgen
}

# Everything, the wasm-bindgen CLI installed before it returns (the tests' release
# build runs in a process of its own, which must find it).
bootstrap_test() {
    ensure_wasm_bindgen
    bootstrap_build
    apt_install chromium
    # The reverse proxy in front of two nodes (server tests: cluster.rs).
    apt_install nginx
    npm_folder "$ROOT/end2end"
    # The OpenID provider that signing in with one is tested against (identity.rs).
    npm_folder "$ROOT/tools/oidc"
    # The OpenAPI validator the API description is checked with (api.rs).
    npm_folder "$ROOT/tools/openapi"
    # The SMTP server mail is tested against (mail.rs: tools/smtp/server.py).
    apt_install python3-aiosmtpd
}
