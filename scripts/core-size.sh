#!/usr/bin/env bash
# How many of the app's gzip bytes the model alone needs (size work, not a test): builds
# `oomlens-core` with no UI at all into a wasm module the way the app is built (opt-level z, LTO,
# panic=abort, wasm-opt -Oz with the app's feature flags) and prints its gzip size, twice:
#   calc     parse a scenario file, evaluate it, serialise the evaluation as JSON (the calculator's
#            model, what `oomlens calc --format json` computes);
#   +explain the same plus the incident pipeline (`explanation::explain`: every reader, the
#            diagnosis and its English text, as JSON).
# The difference between the app's total (scripts/size-report.mjs) and the second figure is what
# the UI (Leptos, the pages, charts, the Chinese catalogue, wasm-bindgen glue) adds.
#
#   bash scripts/core-size.sh
. "$(dirname "$0")/lib.sh"
ensure_wasm_target
ensure_wasm_opt
DIR="$TARGET_DIR/core-size"
mkdir -p "$DIR/src"
cp "$ROOT/Cargo.lock" "$DIR/Cargo.lock"
cat >"$DIR/Cargo.toml" <<EOF
[package]
name = "oomlens-core-size"
version = "0.0.0"
edition = "2021"
publish = false

[lib]
crate-type = ["cdylib"]
path = "src/lib.rs"

[features]
explain = []

[dependencies]
oomlens-core = { path = "$ROOT/crates/oomlens-core" }
serde_json = "1"

[profile.release]
opt-level = "z"
lto = true
codegen-units = 1
panic = "abort"
strip = true

[workspace]
EOF
cat >"$DIR/src/lib.rs" <<'EOF'
//! The model with no UI: exports that take UTF-8 text and leave JSON in one buffer.
use std::cell::RefCell;

thread_local! {
    static OUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// A buffer of `n` bytes for the caller to write its input into.
#[no_mangle]
pub extern "C" fn alloc(n: usize) -> *mut u8 {
    let mut v = std::mem::ManuallyDrop::new(vec![0u8; n]);
    v.as_mut_ptr()
}

fn run(p: *const u8, n: usize, f: impl FnOnce(&str) -> String) -> usize {
    // SAFETY: the caller passes a buffer from `alloc(n)` that it filled.
    let bytes = unsafe { std::slice::from_raw_parts(p, n) };
    let out = f(std::str::from_utf8(bytes).unwrap_or_default()).into_bytes();
    let len = out.len();
    OUT.with(|o| *o.borrow_mut() = out);
    len
}

/// Scenario text → evaluation JSON (or the error).
#[no_mangle]
pub extern "C" fn calc(p: *const u8, n: usize) -> usize {
    run(p, n, |text| match oomlens_core::scenario::parse_scenario(text) {
        Ok(s) => match oomlens_core::evaluate(&s) {
            Ok(e) => serde_json::to_string(&e).unwrap_or_default(),
            Err(e) => e.to_string(),
        },
        Err(e) => e.to_string(),
    })
}

/// Incident text → explanation JSON.
#[cfg(feature = "explain")]
#[no_mangle]
pub extern "C" fn explain(p: *const u8, n: usize) -> usize {
    run(p, n, |text| {
        serde_json::to_string(&oomlens_core::explanation::explain(text)).unwrap_or_default()
    })
}
EOF
OPT_FLAGS=$(sed -n 's/.*data-wasm-opt-params="\([^"]*\)".*/\1/p' "$ROOT/index.html")
# Raw and gzip (level 9, as scripts/size-report.mjs measures) sizes of a file, in KB.
sizes() {
  node -e 'const z = require("zlib"), f = require("fs"), b = f.readFileSync(process.argv[1]);
    const kb = (n) => (n / 1024).toFixed(1) + " KB";
    console.log(kb(b.length).padStart(10), kb(z.gzipSync(b, { level: 9 }).length).padStart(10));' "$1"
}
printf '%-10s %10s %10s\n' module raw gzip
for variant in calc explain; do
  features=()
  [ "$variant" = explain ] && features=(--features explain)
  (cd "$DIR" && CARGO_TARGET_DIR="$DIR/target" cargo build -q --release --target wasm32-unknown-unknown "${features[@]}")
  # shellcheck disable=SC2086
  wasm-opt -Oz $OPT_FLAGS "$DIR/target/wasm32-unknown-unknown/release/oomlens_core_size.wasm" -o "$DIR/$variant.wasm"
  label=$([ "$variant" = calc ] && echo calc || echo +explain)
  printf '%-10s %s\n' "$label" "$(sizes "$DIR/$variant.wasm")"
done
