#!/usr/bin/env bash
# Serves the app on loopback with live rebuilds: http://127.0.0.1:8080/
# (PORT=9000 scripts/serve.sh for another port). Installs what it needs first.
#
# It serves the release build, the one that is hosted: the demos' figures (how
# long the GIL demo's threads take, how long they wait) are the ones a class
# should see. Trunk rebuilds it after an edit; reload the page by hand (the
# release page holds a Content Security Policy that Trunk's inline live-reload
# script would break). DEBUG=1 serves the debug build, which rebuilds sooner
# and reloads itself, but runs the Python programs slower and the GIL less evenly.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
port="${PORT:-8080}"
profile=(--release --no-autoreload)
if [ "${DEBUG:-0}" = 1 ]; then profile=(); fi
echo "Parallel Playground: open http://127.0.0.1:$port/ once the build below has finished."
exec trunk serve "${profile[@]}" --address 127.0.0.1 --port "$port" "$@"
