#!/usr/bin/env bash
# Prints the size of each file of the built site, raw and gzipped.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d dist ] || { echo "no dist/: run trunk build --release first" >&2; exit 1; }
total=0; total_gz=0
printf '%-44s %10s %10s\n' "file" "bytes" "gzip -9"
while IFS= read -r f; do
  raw=$(stat -c %s "$f"); gz=$(gzip -9 -c "$f" | wc -c)
  total=$((total + raw)); total_gz=$((total_gz + gz))
  printf '%-44s %10d %10d\n' "${f#dist/}" "$raw" "$gz"
done < <(find dist -type f | sort)
printf '%-44s %10d %10d\n' "total" "$total" "$total_gz"
