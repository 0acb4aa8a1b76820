# Shared settings for ./x and its helpers. Sourced, not run.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# One warm build cache outside the checkout: fresh clones reuse it.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/cairn/target}
SITE_DIR=$CARGO_TARGET_DIR/site
WASM_TARGET=wasm32-unknown-unknown
DEBIAN_WASM_LINKER=/usr/lib/llvm-19/bin/wasm-ld
BUNDLE_NAME=cairn

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'x: %s\n' "$*" >&2; exit 1; }

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    elif command -v sudo >/dev/null; then sudo "$@"
    else die "need root to run: $* (install sudo or run as root)"
    fi
}

# The wasm-bindgen version pinned in Cargo.lock; the CLI must match it exactly.
locked_wasm_bindgen_version() {
    awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

# rustup's wasm32 target when installed, otherwise Debian's web toolchain with build-std.
wasm_route() {
    if command -v rustup >/dev/null && rustup target list --installed 2>/dev/null | grep -qx "$WASM_TARGET"; then
        echo rustup
    else
        echo debian
    fi
}

# Commands to run when ./x exits, however it exits.
EXIT_HOOKS=()
on_exit() { EXIT_HOOKS+=("$1"); }
run_exit_hooks() {
    local status=$? hook
    for hook in "${EXIT_HOOKS[@]}"; do "$hook"; done
    print_phases
    if [ "$status" -ne 0 ] && [ -n "${CURRENT_PHASE:-}" ]; then
        printf '\033[1;31mFAILED in phase: %s\033[0m\n' "$CURRENT_PHASE" >&2
    fi
}

# Times a phase and records it for the summary printed at the end.
PHASES=()
phase() {
    local name=$1; shift
    say "$name"
    CURRENT_PHASE=$name
    local start=$SECONDS
    "$@"
    CURRENT_PHASE=
    PHASES+=("$(printf '%-28s %4ss' "$name" $((SECONDS - start)))")
}
print_phases() {
    [ ${#PHASES[@]} -gt 0 ] || return 0
    printf '\nPhase timings:\n' >&2
    printf '  %s\n' "${PHASES[@]}" >&2
}

# A session cookie (`cairn_session=...`) for the first admin of a server that just
# started on an empty database: its log holds the one-time sign-in link.
# $1: the server's URL, $2: its log file.
admin_cookie() {
    local url=$1 log=$2 token cookie
    token=$(grep -o '/sign-in/link/[0-9a-f]*' "$log" | head -1 | sed 's|.*/||')
    [ -n "$token" ] || die "no sign-in link in $log"
    cookie=$(curl -s -o /dev/null -D - --data "token=$token" "$url/sign-in/link" \
        | grep -io 'cairn_session=[^;]*' | head -1)
    [ -n "$cookie" ] || die "the sign-in link at $url gave no session"
    printf '%s' "$cookie"
}
