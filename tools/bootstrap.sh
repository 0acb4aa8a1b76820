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

ensure_wasm_bindgen() {
    local want have=""
    want=$(locked_wasm_bindgen_version)
    [ -n "$want" ] || die "cannot read the wasm-bindgen version from Cargo.lock"
    command -v wasm-bindgen >/dev/null && have=$(wasm-bindgen --version | awk '{print $2}')
    if [ "$have" != "$want" ]; then
        say "installing wasm-bindgen-cli $want (found: ${have:-none}); a few minutes, once"
        # Not --locked: the CLI's own lock pins a crate version the registry no longer has.
        cargo install --quiet wasm-bindgen-cli --version "$want"
    fi
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

bootstrap_build() {
    ensure_wasm_toolchain
    ensure_wasm_bindgen
    ensure_node
    npm_folder "$ROOT/tools"
}

bootstrap_test() {
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
