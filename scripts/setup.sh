#!/usr/bin/env bash
# Installs what building, serving and testing need, skipping what is already there.
#   scripts/setup.sh build   wasm target, Trunk, the wasm-bindgen CLI, wasm-opt
#   scripts/setup.sh test    all of the above, plus Chromium, Firefox, their drivers
#                            and the end-to-end test packages
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132
GECKODRIVER_VERSION=0.37.1
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# The wasm-bindgen CLI must match the library version exactly; Cargo.toml pins it.
wasm_bindgen_version() {
  sed -n 's/^wasm-bindgen *= *"=\([0-9.]*\)".*/\1/p' Cargo.toml | head -n 1
}

need_root() {
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
    echo "installing $* needs root (apt-get)" >&2
    exit 1
  fi
}

apt_install() {
  need_root "$@"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  if [ -z "${APT_UPDATED:-}" ]; then
    $sudo apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@"
}

# wasm-opt (binaryen), puppeteer-core, axe-core and workerpool (the benchmark), exactly as package-lock.json pins them.
node_packages() {
  if ! npm ls --silent >/dev/null 2>&1; then
    say "installing node packages (wasm-opt, puppeteer-core, axe-core, workerpool)"
    npm ci --no-audit --no-fund --silent
  fi
}

setup_build() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
    say "installing trunk $TRUNK_VERSION (several minutes, once)"
    cargo install --locked "trunk@$TRUNK_VERSION"
  fi
  local wbg
  wbg=$(wasm_bindgen_version)
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $wbg\$"; then
    say "installing wasm-bindgen-cli $wbg (several minutes, once)"
    # --locked fails for this version (a locked dependency is no longer served).
    cargo install --force "wasm-bindgen-cli@$wbg"
  fi
  node_packages
  say "fetching crates"
  cargo fetch --quiet
}

setup_browsers() {
  command -v chromium >/dev/null && command -v chromedriver >/dev/null || {
    say "installing chromium and chromedriver"
    apt_install chromium chromium-driver
  }
  command -v python3 >/dev/null || {
    say "installing python3 (the end-to-end tests compare transcripts with CPython)"
    apt_install python3
  }
  command -v firefox-esr >/dev/null || {
    say "installing firefox-esr"
    apt_install firefox-esr
  }
  if ! geckodriver --version 2>/dev/null | grep -q "$GECKODRIVER_VERSION"; then
    say "installing geckodriver $GECKODRIVER_VERSION (a few minutes, once)"
    cargo install --locked "geckodriver@$GECKODRIVER_VERSION"
  fi
}

case "${1:-build}" in
  build) setup_build ;;
  test) setup_build; setup_browsers ;;
  *) echo "usage: scripts/setup.sh [build|test]" >&2; exit 2 ;;
esac
