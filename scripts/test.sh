#!/usr/bin/env bash
# Every test, from a fresh machine: installs what it needs, then runs
#   1. cargo fmt --check and clippy (native and wasm targets, warnings denied)
#   2. the native tests of the pure core (cargo test: the app and the deck crate)
#   3. the release build of the site (under a sub-path) and its sizes
#   4. the browser tests (wasm-bindgen-test: the app, and the runtime on real
#      workers from the built bundle) in headless Chromium, then Firefox
#   5. the end-to-end tests of the built site, served over HTTP, in Chromium
#      and Firefox
# Measured figures are not tests: scripts/bench.sh prints them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-60}"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
started=$SECONDS

# A fresh run writes about 1.5 GB (target/ and the browsers' profiles): say so
# before it starts rather than fail half-way with "no space left on device".
for dir in . "${TMPDIR:-/tmp}"; do
  free_mb=$(df -Pm "$dir" | awk 'NR == 2 { print $4 }')
  if [ "${free_mb:-0}" -lt 2500 ]; then
    echo "warning: only ${free_mb} MB free under $dir; a fresh test run writes about 1.5 GB" >&2
  fi
done

step "format and lints"
cargo fmt --all -- --check
cargo clippy --all-targets --quiet -- -D warnings
cargo clippy --all-targets --quiet --target wasm32-unknown-unknown -- -D warnings
# The app as it ships: no dev-dependencies, so the deck crate without its parser
# (build.rs parses the deck when the app is built).
cargo clippy --quiet --target wasm32-unknown-unknown -- -D warnings
if cargo tree --target wasm32-unknown-unknown -e normal -p parallel-playground --prefix none | grep -q '^pulldown-cmark '; then
  echo "the app ships the markdown parser: only build.rs and tests may enable deck's parse feature" >&2
  exit 1
fi

step "native tests"
cargo test --quiet

step "release build under a sub-path"
build_started=$SECONDS
trunk build --release --public-url /parallel-playground/ 2>&1 | grep -vE '^\s*$' | tail -n 3
echo "release build took $((SECONDS - build_started)) s"
scripts/sizes.sh
# The slides' module draws the deck; the demos, which start the workers, are a
# module of their own that it loads after the first slide (src/ui/pane_host.rs).
if grep -q 'new Worker' dist/app-*.js || ! grep -q 'new Worker' dist/demos.js; then
  echo "the slides' module links the demos' runtime: only the demos' module may start workers" >&2
  exit 1
fi

# The runtime tests start real workers from the built worker bundle in dist/.
browser_tests=(--target wasm32-unknown-unknown --test web --test runtime)
# The drivers leave each browser's profile behind (about 50 MB each): keep them
# in a directory of this run's own, removed once the browser tests are done.
browser_tmp="$PWD/target/browser-tests-tmp"
mkdir -p "$browser_tmp"

step "browser tests in headless Chromium"
env -u GECKODRIVER CHROMEDRIVER=/usr/bin/chromedriver TMPDIR="$browser_tmp" cargo test "${browser_tests[@]}"

step "browser tests in headless Firefox"
# The runner reads webdriver.json from the working directory: point it at Debian's Firefox.
trap 'rm -f webdriver.json' EXIT
printf '{"moz:firefoxOptions":{"binary":"%s"}}\n' "$(command -v firefox-esr)" > webdriver.json
env -u CHROMEDRIVER GECKODRIVER="$(command -v geckodriver)" TMPDIR="$browser_tmp" cargo test "${browser_tests[@]}"
rm -f webdriver.json
rm -rf "$browser_tmp"

step "end-to-end tests of the built site"
node --test --test-concurrency=1 e2e/

echo "all tests passed in $((SECONDS - started)) s"
