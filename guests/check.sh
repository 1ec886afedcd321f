#!/usr/bin/env bash
# Fails when a committed .wasm no longer matches what its source builds to.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$here/wat/abi-driver.wat" "$tmp/abi-driver.wat.committed"
"$here/build.sh" "$tmp"
if ! cmp -s "$here/wat/abi-driver.wat" "$tmp/abi-driver.wat.committed"; then
  echo "guests/wat/abi-driver.wat is stale: run guests/build.sh and commit" >&2
  exit 1
fi
status=0
for f in "$tmp"/*.wasm; do
  name=$(basename "$f")
  if ! cmp -s "$f" "$here/wasm/$name"; then
    echo "guests/wasm/$name does not match its source: run guests/build.sh and commit" >&2
    status=1
  fi
done
for f in "$here"/wasm/*.wasm; do
  [ -e "$tmp/$(basename "$f")" ] || { echo "guests/wasm/$(basename "$f") has no source" >&2; status=1; }
done
"$here/../examples/build.sh" "$tmp/examples"
for c in "$tmp"/examples/*/*.wasm "$tmp"/examples/*/*/*.wasm; do
  [ -e "$c" ] || continue
  rel=${c#"$tmp/"}
  if ! cmp -s "$c" "$here/../$rel"; then
    echo "$rel does not match its source: run examples/build.sh and commit" >&2
    status=1
  fi
done
[ $status -eq 0 ] && echo "guests: every committed .wasm (test guests and examples) matches its source"
exit $status
