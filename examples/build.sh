#!/usr/bin/env bash
# Rebuilds the example capsules' .wasm from their C sources (needs clang and wasm-ld: apt-get install clang lld).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
for c in ping pong; do
  mkdir -p "$out/$c"
  clang --target=wasm32-unknown-unknown -O2 -nostdlib -ffreestanding -fno-builtin \
        -Wl,--no-entry -Wl,--strip-all -o "$out/$c/$c.wasm" "$here/$c/$c.c"
done
