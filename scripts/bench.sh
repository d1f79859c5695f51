#!/usr/bin/env bash
# Measured figures, printed and not asserted (not part of scripts/test.sh):
#   1. the release build of the site (under a sub-path)
#   2. the runtime on real workers in headless Chromium (tests/figures.rs):
#      worker start-up, a task's round trip, countdown speed, four CPU-bound
#      jobs on one process and on two, the GIL's observed switch interval
#   3. the built site in headless Chromium (e2e/bench.mjs): first contentful
#      paint, and the main thread's long tasks during a run of many events
# On a shared machine absolute times drift from run to run; compare ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "release build under a sub-path"
trunk build --release --public-url /parallel-playground/ 2>&1 | grep -vE '^\s*$' | tail -n 3

# The runtime figures start real workers from the built worker bundle in dist/.
step "runtime figures in headless Chromium"
env -u GECKODRIVER CHROMEDRIVER=/usr/bin/chromedriver \
  cargo test --target wasm32-unknown-unknown --test figures -- --include-ignored --nocapture 2>&1 | grep -vE '^\s*$'

step "page figures in headless Chromium"
node --test --test-reporter=spec e2e/bench.mjs
