#!/usr/bin/env bash
# Serves the app on loopback with live rebuilds: http://127.0.0.1:8080/
# (PORT=9000 scripts/serve.sh for another port). Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
port="${PORT:-8080}"
echo "Parallel Playground: open http://127.0.0.1:$port/ once the build below has finished."
exec trunk serve --address 127.0.0.1 --port "$port" "$@"
