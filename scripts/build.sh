#!/usr/bin/env bash
# Release build of the web app (trunk, wasm-opt -Oz) into a static site directory.
#   scripts/build.sh [--dist DIR] [--public-url /sub/path/]
# Defaults: --dist dist, --public-url /. The site also gets a 404.html (a copy of index.html) so a
# static host such as GitHub Pages answers any deep link with the app; routes are URL fragments
# (#/calculator, #/incident) and the app also understands /<public-url>/incident.
source "$(dirname "$0")/lib.sh"

dist="$ROOT/dist"
public_url="/"
while [ $# -gt 0 ]; do
  case "$1" in
    --dist) dist="$2"; shift 2 ;;
    --public-url) public_url="$2"; shift 2 ;;
    *) die "usage: scripts/build.sh [--dist DIR] [--public-url /path/]" ;;
  esac
done
case "$public_url" in /*/ | /) ;; *) die "--public-url must start and end with '/': $public_url" ;; esac
case "$dist" in /*) ;; *) dist="$PWD/$dist" ;; esac

ensure_web_toolchain
cd "$ROOT"
trunk build --release --dist "$dist" --public-url "$public_url"
cp "$dist/index.html" "$dist/404.html"
grep -q 'name="oomlens-wasm"' "$dist/index.html" || die "$dist/index.html has no wasm loader marker"
