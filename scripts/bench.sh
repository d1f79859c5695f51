#!/usr/bin/env bash
# Measured figures, printed and not asserted (not part of scripts/test.sh), in
# headless Chromium and Firefox ESR, each beside an anchor measured in the same
# round, then a table per browser (min / median / max over the rounds):
#   1. release builds: the site (under a sub-path) and the Yew hello app
#      (bench/yew-hello, a workspace and target directory of its own)
#   2. ROUNDS rounds (default 5), each browser in turn, each round running
#      - the runtime on real workers (tests/figures.rs, release build): worker
#        start-up, an empty task's round trip, four CPU-bound jobs on one
#        process and on two, the GIL's switches and hand-overs, sleep lateness,
#        and the JS anchors below again in that page, which wraps every worker
#      - first loads of the app and the hello app, and the plain JS anchors:
#        an echo worker, workerpool, CPU-bound JS workers (bench/round.mjs)
#      the two in turns (the runtime first in odd rounds, the pages in even ones)
#   3. the main thread during a busy GIL run and during every other demo's run:
#      long tasks, frame gaps, busy time (bench/gil-run.mjs)
#   4. the GIL demo's wall time over N x work with either GIL (bench/gil-demo.mjs)
#   5. the tables (bench/table.mjs)
# Everything a run printed is kept in target/bench/. On a shared machine
# absolute times drift from run to run; compare ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"
rounds="${ROUNDS:-5}"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
started=$SECONDS
out=target/bench
mkdir -p "$out"
log="$out/bench.log"         # everything the runs printed
figures="$out/figures.txt"   # their figures, one line a run, for the table
: >"$log"
: >"$figures"

step "release build under a sub-path"
trunk build --release --public-url /parallel-playground/ 2>&1 | grep -vE '^\s*$' | tail -n 3

step "release build of the Yew hello app (bench/yew-hello)"
hello="$PWD/bench/yew-hello"
cargo fetch --quiet --manifest-path "$hello/Cargo.toml"
(cd "$hello" && CARGO_TARGET_DIR="$hello/target" trunk build --release --public-url /yew-hello/ 2>&1 | grep -vE '^\s*$' | tail -n 3)

step "the runtime figures' test, release build"
cargo test --release --target wasm32-unknown-unknown --test figures --no-run 2>&1 | tail -n 1

# The runner reads webdriver.json from the working directory: for Firefox it
# points at Debian's Firefox, and Chromium's runs must not find it.
trap 'rm -f webdriver.json' EXIT

# One run of tests/figures.rs in a browser; the runtime figures start real
# workers from the built worker bundle in dist/.
runtime_figures() {
  local browser=$1 round=$2 driver
  if [ "$browser" = firefox ]; then
    printf '{"moz:firefoxOptions":{"binary":"%s"}}\n' "$(command -v firefox-esr)" >webdriver.json
    driver=(env -u CHROMEDRIVER GECKODRIVER="$(command -v geckodriver)")
  else
    rm -f webdriver.json
    driver=(env -u GECKODRIVER CHROMEDRIVER=/usr/bin/chromedriver)
  fi
  local run="$out/run.log" ok=1
  "${driver[@]}" cargo test --release --target wasm32-unknown-unknown --test figures -- --include-ignored --nocapture \
    >"$run" 2>&1 || ok=0
  rm -f webdriver.json
  { echo "--- runtime, $browser, round $round"; cat "$run"; } >>"$log"
  sed -n "s/.*bench-figures \(.*\)$/runtime $browser $round \1/p" "$run" >>"$figures"
  [ "$ok" = 1 ] || echo "  the runtime figures failed in $browser, round $round (see $log)"
}

# One round of first loads and anchors in a browser (its line goes to the figures).
page_figures() {
  local browser=$1 round=$2
  echo "--- pages, $browser, round $round" >>"$log"
  node bench/round.mjs "$browser" "$round" >>"$figures" 2>>"$log" ||
    echo "  the pages and anchors failed in $browser, round $round (see $log)"
}

for round in $(seq 1 "$rounds"); do
  for browser in chromium firefox; do
    step "round $round of $rounds in $browser ($((SECONDS - started)) s so far)"
    if [ $((round % 2)) = 1 ]; then
      runtime_figures "$browser" "$round"
      page_figures "$browser" "$round"
    else
      page_figures "$browser" "$round"
      runtime_figures "$browser" "$round"
    fi
  done
done

step "the page's main thread during a busy GIL run, in both browsers"
gil_run="$out/gil-run.log"
node --test --test-reporter=spec bench/gil-run.mjs >"$gil_run" 2>&1 || echo "  the GIL run failed (see $log)"
{ echo "--- GIL run"; cat "$gil_run"; } >>"$log"
grep '^figures' "$gil_run" || true

step "the GIL demo's wall time over N x work, both GILs, in both browsers"
gil_demo="$out/gil-demo.log"
node bench/gil-demo.mjs >"$gil_demo" 2>&1 || echo "  the GIL demo runs failed (see $log)"
{ echo "--- GIL demo"; cat "$gil_demo"; } >>"$log"
grep '^figures' "$gil_demo" || true

step "tables ($rounds rounds; ratios are app / anchor, taken round by round)"
node bench/table.mjs "$figures" | tee "$out/table.md"
echo "bench.sh took $((SECONDS - started)) s; every run's output is in $log"
