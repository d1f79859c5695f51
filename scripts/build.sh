#!/usr/bin/env bash
# Builds the release site into dist/ for hosting under PUBLIC_URL (default /),
# then prints the size of every file. Installs what it needs first.
#   scripts/build.sh /some/path/
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
trunk build --release --public-url "${1:-/}"
scripts/sizes.sh
