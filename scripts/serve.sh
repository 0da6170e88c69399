#!/usr/bin/env bash
# Builds the web app and serves it on http://127.0.0.1:8080 (installing what is missing first). The
# calculator opens with the built-in example scenario. trunk rebuilds on every source change; the
# Content-Security-Policy forbids trunk's inline live-reload script, so reload the page by hand.
#   scripts/serve.sh          release build (what GitHub Pages serves; shares the test build cache)
#   scripts/serve.sh --dev    debug build (faster rebuilds while editing)
# Other arguments go to `trunk serve` (e.g. --port 9000).
source "$(dirname "$0")/lib.sh"

mode=(--release)
if [ "${1:-}" = --dev ]; then mode=(); shift; fi
ensure_web_toolchain
cd "$ROOT"
log "serving on http://127.0.0.1:8080/ (Ctrl-C stops)"
# Every rebuild is a new build: no offline copy here (scripts/postbuild.mjs), so a reload shows it.
export OOMLENS_SW=off
exec trunk serve "${mode[@]}" "$@"
