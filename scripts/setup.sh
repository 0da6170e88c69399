#!/usr/bin/env bash
# Installs what the oomlens scripts need, idempotently (skips whatever is already there):
#   scripts/setup.sh        everything (serve + test: adds chromium for the browser tests)
#   scripts/setup.sh serve  only what building and serving the app needs
# scripts/serve.sh and scripts/test.sh call this themselves; run it alone to prepare a machine.
source "$(dirname "$0")/lib.sh"

what="${1:-test}"
case "$what" in
  serve) ensure_web_toolchain ;;
  test | all) ensure_web_toolchain; ensure_chromium; ensure_cjk_font ;;
  *) die "usage: scripts/setup.sh [serve|test]" ;;
esac
log "tools ready: $(trunk --version); $(wasm-bindgen --version); $(wasm-opt --version)"
if [ "$what" != serve ]; then log "browser: $("$CHROMIUM" --version 2>/dev/null)"; fi
