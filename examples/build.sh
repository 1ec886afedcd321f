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
# One echo server, four capsules that differ only in their SDK profile (docs/profiles.md).
mkdir -p "$out/profiles"
clang --target=wasm32-unknown-unknown -O2 -nostdlib -ffreestanding -fno-builtin \
      -Wl,--no-entry -Wl,--strip-all -o "$out/profiles/echo.wasm" "$here/profiles/echo.c"
for p in seed 03 04 05; do
  mkdir -p "$out/profiles/echo-$p"
  cp "$out/profiles/echo.wasm" "$out/profiles/echo-$p/echo.wasm"
done
rm "$out/profiles/echo.wasm"
