#!/usr/bin/env bash
# Prints the size of each file of the built site (default dist/), raw and
# gzipped, leaving out the precompressed .br/.gz copies the release build adds.
#   scripts/sizes.sh [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-dist}"
[ -d "$dir" ] || { echo "no $dir/: run trunk build --release first" >&2; exit 1; }
total=0; total_gz=0
printf '%-44s %10s %10s\n' "file" "bytes" "gzip -9"
while IFS= read -r f; do
  raw=$(stat -c %s "$f"); gz=$(gzip -9 -c "$f" | wc -c)
  total=$((total + raw)); total_gz=$((total_gz + gz))
  printf '%-44s %10d %10d\n' "${f#"$dir"/}" "$raw" "$gz"
done < <(find "$dir" -type f ! -name '*.br' ! -name '*.gz' | sort)
printf '%-44s %10d %10d\n' "total" "$total" "$total_gz"
