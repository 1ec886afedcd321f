#!/usr/bin/env bash
# Times whole-process start-up of the astrid command line from a built checkout; builds nothing.
# Usage: astrid-benchmarks/startup.sh [RUNS]   (default 7; one warm-up run first)
# Prints, per command, the median and the min..max of the wall-clock times in seconds.
# Extra JVM options for every run: ASTRID_JAVA_OPTS (as ./astrid reads it).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${1:-7}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$root/guests/wasm/kernel-probe.wasm" "$work/tiny.wasm"
export XDG_STATE_HOME="$work/state"

# milliseconds of wall time of one run of COMMAND (output discarded; a failing command aborts the script)
wall() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}

measure() {
  local label=$1; shift
  wall "$@" >/dev/null # warm-up: page cache, first-run files
  local times=() i
  for ((i = 0; i < runs; i++)); do times+=("$(wall "$@")"); done
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  median=$(sed -n "$(( (runs + 1) / 2 ))p" <<<"$sorted")
  min=$(head -n 1 <<<"$sorted"); max=$(tail -n 1 <<<"$sorted")
  printf '%-44s median %5.2f s   (%.2f..%.2f, %d runs)\n' "$label" \
    "$(bc -l <<<"$median/1000")" "$(bc -l <<<"$min/1000")" "$(bc -l <<<"$max/1000")" "$runs"
}

cd "$work"
a="$root/astrid"
measure "java -version" java -version
measure "astrid --version" "$a" --version
measure "astrid abi" "$a" abi
measure "astrid call kernel-probe.wasm echo" "$a" call tiny.wasm echo --input hello
measure "astrid call --interpreter kernel-probe.wasm echo" "$a" call --interpreter tiny.wasm echo --input hello
