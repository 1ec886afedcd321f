#!/usr/bin/env bash
# Times whole-process start-up of the astrid command line from a built checkout; builds nothing.
# Usage: astrid-benchmarks/startup.sh [RUNS]   (default 7, after one warm-up run per command)
# Prints per command the median wall-clock time with the fastest and slowest run, and the median
# CPU time (user + system), which a machine busy with other work disturbs less than wall time.
# Extra JVM options for every astrid run: ASTRID_JAVA_OPTS, as ./astrid reads it.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${1:-7}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/workspace"
cp "$root/guests/wasm/kernel-probe.wasm" "$work/workspace/tiny.wasm"
# A data directory of its own, outside the workspace, so earlier runs elsewhere do not matter.
export XDG_STATE_HOME="$work/state"
cd "$work/workspace"

TIMEFORMAT='%R %U %S'
# One run of COMMAND: prints "wall cpu" in milliseconds; a failing command stops the script.
once() {
  local t
  t=$( { time "$@" >/dev/null 2>"$work/stderr"; } 2>&1 ) || { cat "$work/stderr" >&2; exit 1; }
  awk '{printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000}' <<<"$t"
}

# The median, fastest and slowest of numbers on stdin, in seconds.
stats() {
  sort -n | awk '{a[NR] = $1} END {printf "%.2f s (%.2f..%.2f)", a[int((NR + 1) / 2)] / 1000, a[1] / 1000, a[NR] / 1000}'
}

measure() {
  local label=$1 i
  shift
  once "$@" >/dev/null
  : >"$work/times"
  for ((i = 0; i < runs; i++)); do once "$@" >>"$work/times"; done
  printf '%-40s wall %s   cpu %s\n' "$label" "$(cut -d' ' -f1 "$work/times" | stats)" \
    "$(cut -d' ' -f2 "$work/times" | cut -d' ' -f1 | stats | sed 's/ (.*//')"
}

echo "$runs runs each; load average $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
measure "java -version" java -version
measure "astrid --version" "$root/astrid" --version
measure "astrid abi" "$root/astrid" abi
measure "astrid call tiny.wasm echo" "$root/astrid" call tiny.wasm echo --input hello
measure "astrid call --interpreter tiny.wasm echo" "$root/astrid" call --interpreter tiny.wasm echo --input hello
