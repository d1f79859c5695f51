#!/usr/bin/env bash
# Builds the release site for hosting under PUBLIC_URL (default /), then prints
# the size of every file. Installs what it needs first.
#   scripts/build.sh /some/path/
# The site goes to dist/, or to the directory DIST names. Besides the app it
# holds sw.js (cross-origin isolation and offline use on any static host),
# _headers (for Netlify and Cloudflare Pages) and .br/.gz beside large files:
# see scripts/release-files.mjs. .github/workflows/pages.yml publishes it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
public_url="${1:-/}"
case "$public_url" in
  */) ;;
  *) public_url="$public_url/" ;;
esac
dist="${DIST:-dist}"
trunk build --release --public-url "$public_url" --dist "$dist"
scripts/sizes.sh "$dist"
