# Shared helpers for the oomlens scripts (sourced, not run). Every ensure_* is idempotent: it checks
# what is there first and installs only what is missing or at the wrong version. A brand-new machine
# needs only rustup (with a toolchain), node/npm and apt.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$ROOT/$TARGET_DIR" ;; esac

# Pinned tool versions (the wasm-bindgen one comes from Cargo.lock; see ensure_wasm_bindgen).
TRUNK_VERSION="0.21.14"          # newer trunk needs a newer rustc than this toolchain
WASM_OPT_VERSION="132"           # npm package binaryen@132.0.0, pinned in package.json
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
export CHROMIUM

export PATH="$ROOT/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1   # the e2e suite drives the system chromium, never a download
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

log() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Runs a command as root (directly, or through passwordless sudo).
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"
  else die "need root to run: $*"
  fi
}

# The wasm-bindgen version locked in Cargo.lock.
locked_wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/^version = "|"$/, ""); print; exit }' "$ROOT/Cargo.lock"
}

# Trunk.toml's [tools] wasm_bindgen must equal Cargo.lock's wasm-bindgen, or trunk (offline) fails late.
check_trunk_toml() {
  local locked pinned
  locked="$(locked_wasm_bindgen_version)"
  [ -n "$locked" ] || die "no wasm-bindgen in Cargo.lock"
  pinned="$(sed -n 's/^wasm_bindgen *= *"\(.*\)".*/\1/p' "$ROOT/Trunk.toml")"
  [ "$pinned" = "$locked" ] ||
    die "Trunk.toml [tools] wasm_bindgen = \"$pinned\" but Cargo.lock has wasm-bindgen $locked: set it to \"$locked\""
  grep -q "^wasm_opt *= *\"version_$WASM_OPT_VERSION\"" "$ROOT/Trunk.toml" ||
    die "Trunk.toml [tools] wasm_opt must be \"version_$WASM_OPT_VERSION\" (the npm binaryen in package.json)"
}

ensure_wasm_target() {
  if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then return; fi
  log "installing the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
}

ensure_trunk() {
  if [ "$(trunk --version 2>/dev/null)" = "trunk $TRUNK_VERSION" ]; then return; fi
  log "installing trunk $TRUNK_VERSION (cargo install, a few minutes once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
}

ensure_wasm_bindgen() {
  local v
  v="$(locked_wasm_bindgen_version)"
  if [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $v" ]; then return; fi
  log "installing wasm-bindgen-cli $v (the version in Cargo.lock)"
  cargo install wasm-bindgen-cli --version "$v"
}

# npm packages (binaryen's wasm-opt, Playwright), exactly as package-lock.json says. A stamp of the
# lockfile in node_modules tells whether `npm ci` already ran for this lockfile.
ensure_npm() {
  local stamp="$ROOT/node_modules/.oomlens-lock-stamp" want
  want="$(cksum < "$ROOT/package-lock.json")"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$ROOT/node_modules/.bin/wasm-opt" ]; then return; fi
  log "installing npm packages (npm ci)"
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  printf '%s\n' "$want" > "$stamp"
}

ensure_wasm_opt() {
  ensure_npm
  wasm-opt --version 2>/dev/null | grep -q "version_$WASM_OPT_VERSION" ||
    die "wasm-opt on PATH is not version $WASM_OPT_VERSION: $(command -v wasm-opt || echo none)"
}

# Debian's chromium for the browser tests (or the browser named by $CHROMIUM, e.g. on CI runners).
ensure_chromium() {
  if [ -x "$CHROMIUM" ] && "$CHROMIUM" --version >/dev/null 2>&1; then return; fi
  [ "$CHROMIUM" = /usr/bin/chromium ] || die "CHROMIUM=$CHROMIUM is not an executable browser"
  log "installing chromium (apt)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
  "$CHROMIUM" --version >/dev/null 2>&1 || die "chromium installed but $CHROMIUM does not run"
}

# A CJK font, so Chinese text in browser tests and screenshots shows glyphs, not boxes.
ensure_cjk_font() {
  if fc-list 2>/dev/null | grep -qi 'wqy\|noto sans cjk'; then return; fi
  log "installing a CJK font (apt: fonts-wqy-microhei)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-wqy-microhei fontconfig
  fc-list | grep -qi wqy || die "fonts-wqy-microhei installed but fc-list does not list it"
}

# trunk runs cargo with --offline (Trunk.toml), so every crate of every target (wasm-only ones too)
# must already be downloaded: fetch them exactly as Cargo.lock says (quick when present).
fetch_crates() {
  (cd "$ROOT" && cargo fetch --locked --quiet)
}

# What building the web app needs (serve and test).
ensure_web_toolchain() {
  check_trunk_toml
  ensure_wasm_target
  ensure_wasm_bindgen
  ensure_trunk
  ensure_wasm_opt
  fetch_crates
}

# A free TCP port on the loopback interface.
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
