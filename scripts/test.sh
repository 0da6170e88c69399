#!/usr/bin/env bash
# Runs every oomlens test and check; exits non-zero at the first failure. Installs what is missing
# first (scripts/setup.sh). Steps:
#   format, lints, native tests, the core's no-web-dependency rule, the release CLI, a trunk release
#   build at / and one at the sub-path /oomlens/ (wasm-opt on), the size report with its budget, and
#   the Playwright end-to-end suite (Debian's chromium) against both builds served on loopback.
# The release build is made once and reused by the size report and the browser tests.
# Environment: CARGO_TARGET_DIR (default ./target); OOMLENS_SITE_DIR (default $target/site) where
# the two builds go; CHROMIUM (default /usr/bin/chromium); E2E_WORKERS (Playwright workers).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

SITE_DIR="${OOMLENS_SITE_DIR:-$TARGET_DIR/site}"
SUBPATH="/oomlens/"
started=$SECONDS
n=0
total=10

step() {
  local name="$1" t0=$SECONDS
  shift
  n=$((n + 1))
  log "[$n/$total] $name"
  if ! "$@"; then
    printf '==> FAILED at step %d/%d: %s (after %ss)\n' "$n" "$total" "$name" $((SECONDS - started)) >&2
    exit 1
  fi
  log "[$n/$total] $name: ok in $((SECONDS - t0))s"
}

# Step functions run inside `if` (where `set -e` does not apply): every command is checked.
core_has_no_web_dependency() {
  local tree
  tree="$(cargo tree -p oomlens-core -e normal,build --target all --prefix none)" || return 1
  if grep -E '^(leptos|web-sys|js-sys|wasm-bindgen|gloo)[-_ ]' <<<"$tree"; then
    echo "oomlens-core must not depend on web crates (see above)" >&2
    return 1
  fi
}

release_cli() {
  cargo build --release -p oomlens-cli --locked &&
    "$TARGET_DIR/release/oomlens" --version &&
    "$TARGET_DIR/release/oomlens" --help >/dev/null
}

e2e() {
  local port_root port_sub
  port_root="$(free_port)"
  port_sub="$(free_port)"
  [ "$port_root" != "$port_sub" ] || port_sub="$(free_port)"
  E2E_DIST_ROOT="$SITE_DIR/root" E2E_DIST_SUBPATH="$SITE_DIR/subpath" E2E_SUBPATH="$SUBPATH" \
    E2E_PORT_ROOT="$port_root" E2E_PORT_SUBPATH="$port_sub" \
    OOMLENS_CLI="$TARGET_DIR/release/oomlens" \
    playwright test
}

step "install missing tools" bash "$ROOT/scripts/setup.sh" test
step "cargo fmt --check" cargo fmt --all --check
step "cargo clippy" cargo clippy --workspace --all-targets --locked -- -D warnings
step "cargo test" cargo test --workspace --locked --no-fail-fast
step "oomlens-core has no web dependency" core_has_no_web_dependency
step "release CLI (oomlens --version/--help)" release_cli
step "trunk release build at /" bash "$ROOT/scripts/build.sh" --dist "$SITE_DIR/root"
step "trunk release build at $SUBPATH" bash "$ROOT/scripts/build.sh" --dist "$SITE_DIR/subpath" --public-url "$SUBPATH"
step "size report" node "$ROOT/scripts/size-report.mjs" "$SITE_DIR/root"
# The browser tests come last and print nothing after them, so the run ends on Playwright's
# summary line ("N passed (…)"); their exit status is the script's.
n=$((n + 1))
log "[$n/$total] browser end-to-end tests (Playwright); the $((n - 1)) steps before passed in $((SECONDS - started))s"
e2e
