#!/usr/bin/env bash
# Whole-process figures for the compiled-module cache: `./astrid call` of a tiny guest and of a
# ~1.8 MB one (large-guest.py), each cold (--no-cache) and cached (the second and later calls with
# a warm cache), median of RUNS runs (default 5). Build first: mvn -B -q package -DskipTests
# Usage: astrid-benchmarks/scripts/module-cache.sh [RUNS]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
runs=${1:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/astrid-benchmarks/scripts/large-guest.py" "$work/large.wat"
wat2wasm "$work/large.wat" -o "$work/large.wasm"
cp "$here/guests/wasm/kernel-probe.wasm" "$work/tiny.wasm"
mkdir -p "$work/ws"

# Wall-clock seconds of one whole `astrid call`.
one() {
  local start end
  start=$(date +%s%N)
  (cd "$work/ws" && "$here/astrid" call "$@" --input hi > /dev/null)
  end=$(date +%s%N)
  echo "scale=3; ($end - $start) / 1000000000" | bc
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

declare -A result
for guest in tiny large; do
  wasm="$work/$guest.wasm"
  size=$(stat -c %s "$wasm")
  cold=$(for _ in $(seq "$runs"); do one "$wasm" echo --data-dir "$work/data-$guest" --no-cache; done | median)
  one "$wasm" echo --data-dir "$work/data-$guest" > /dev/null   # fills the cache
  cached=$(for _ in $(seq "$runs"); do one "$wasm" echo --data-dir "$work/data-$guest"; done | median)
  result[$guest]=$cached
  printf '%-6s %9d bytes   cold (--no-cache) %6.2f s   cached %6.2f s\n' "$guest" "$size" "$cold" "$cached"
done
printf 'cached large / cached tiny: %.2fx\n' "$(echo "scale=4; ${result[large]} / ${result[tiny]}" | bc)"
