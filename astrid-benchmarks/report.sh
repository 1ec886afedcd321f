#!/usr/bin/env bash
# Regenerates the figures of docs/benchmarks.md: runs the host's benchmarks and Extism's Java SDK
# peer in separate JVMs (JMH JSON output), then writes the table into docs/benchmarks.md between
# its figures markers and the chart into docs/benchmarks/figures.svg. Builds nothing: run
#   mvn -B -q package -DskipTests
# first (it builds astrid-benchmarks/target/benchmarks.jar and
# astrid-benchmarks/extism-peer/target/extism-peer.jar).
#
# Usage: astrid-benchmarks/report.sh [--quick] [--no-run]
#   --quick   1 warm-up and 2 measured iterations of 1 s per benchmark (a few minutes) instead of
#             each benchmark's own annotations (3-5 warm-ups, 5 measured iterations of 2 s);
#   --no-run  only regenerate the page from the JSON of the last run (astrid-benchmarks/target/report).
# Extra JMH options for both runs: REPORT_JMH_OPTS (e.g. '-f 3'). RedisBackendBenchmark runs only
# when redis-server is installed.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
host_jar=astrid-benchmarks/target/benchmarks.jar
peer_jar=astrid-benchmarks/extism-peer/target/extism-peer.jar
out=astrid-benchmarks/target/report

quick=false
run=true
for arg in "$@"; do
  case "$arg" in
    --quick) quick=true ;;
    --no-run) run=false ;;
    *) echo "usage: $0 [--quick] [--no-run]" >&2; exit 2 ;;
  esac
done
for jar in "$host_jar" "$peer_jar"; do
  [ -f "$jar" ] || { echo "report: $jar is missing; run 'mvn -B -q package -DskipTests' first" >&2; exit 2; }
done

load() { cut -d' ' -f1 /proc/loadavg; }

# One JMH run in its own JVM: LABEL JAR ARGS...; writes $out/LABEL.json and a description.
bench() {
  local label=$1 jar=$2 start end load0 load1 opts command
  shift 2
  opts=()
  if $quick; then opts=(-wi 1 -i 2 -w 1s -r 1s); fi
  # shellcheck disable=SC2206
  opts+=(${REPORT_JMH_OPTS:-})
  start=$(date -u '+%Y-%m-%d %H:%M')
  load0=$(load)
  # The command as typed, without the blanks that empty option lists would leave.
  command=$(echo "java -jar $jar $* ${opts[*]}" | tr -s ' ' | sed 's/ $//')
  echo "report: $label: $command" >&2
  java -jar "$jar" "$@" "${opts[@]}" -rf json -rff "$out/$label.json" | tee "$out/$label.log" >&2
  end=$(date -u '+%H:%M')
  load1=$(load)
  printf '%s' "\`$command\`, $start–$end UTC, load average $load0 at the start and $load1 at the end" \
    >"$out/$label.txt"
}

if $run; then
  rm -rf "$out"
  mkdir -p "$out"
  exclude=()
  command -v redis-server >/dev/null || exclude=(-e RedisBackend)
  bench host "$host_jar" "${exclude[@]}"
  bench extism-peer "$peer_jar"
fi
for label in host extism-peer; do
  [ -f "$out/$label.json" ] && [ -f "$out/$label.txt" ] || {
    echo "report: $out/$label.json or .txt is missing; run without --no-run" >&2; exit 2; }
done
machine="$(nproc) CPUs, $(java -version 2>&1 | head -1 | tr -d '"')"
java -cp "$host_jar" dev.astrid.benchmarks.report.FiguresReport \
  --doc docs/benchmarks.md --svg docs/benchmarks/figures.svg \
  --run host "$out/host.json" "$(cat "$out/host.txt"); $machine" \
  --run extism-peer "$out/extism-peer.json" "$(cat "$out/extism-peer.txt"); Extism chicory-sdk-core 0.3.0 on Chicory 1.4.0, withAoT()"
echo "report: wrote docs/benchmarks.md (between the figures markers) and docs/benchmarks/figures.svg" >&2
