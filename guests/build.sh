#!/usr/bin/env bash
# Rebuilds every committed test guest from its source into guests/wasm (or into $1 when given).
# WAT needs wat2wasm (Debian's wabt, or npm's wabt through npx); C needs clang and wasm-ld, and the
# WASI guests in c-wasi/ also need wasi-libc and libclang-rt-dev-wasm32; Rust guests need Debian's
# rustc with libstd-rust-dev-wasm32 and lld (rustup's rustc has no wasm32 std here).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/wasm}
mkdir -p "$out"
if command -v wat2wasm >/dev/null; then
  wat2wasm() { command wat2wasm "$@"; }
else
  wat2wasm() { npx --yes --package=wabt@1.0.39 -- wat2wasm "$@"; }
fi
python3 "$here/gen_abi_driver.py"
for f in "$here"/wat/*.wat; do
  wat2wasm "$f" -o "$out/$(basename "${f%.wat}").wasm"
done
for f in "$here"/c/*.c; do
  [ -e "$f" ] || continue
  clang --target=wasm32-unknown-unknown -O2 -nostdlib -ffreestanding -fno-builtin \
        -Wl,--no-entry -Wl,--strip-all -o "$out/$(basename "${f%.c}").wasm" "$f"
done
for f in "$here"/c-wasi/*.c; do
  [ -e "$f" ] || continue
  clang --target=wasm32-wasi -O2 -mexec-model=reactor -Wl,--strip-all \
        -o "$out/$(basename "${f%.c}").wasm" "$f"
done
for f in "$here"/rust/*.rs; do
  [ -e "$f" ] || continue
  /usr/bin/rustc --edition 2021 --crate-type cdylib --crate-name "$(basename "${f%.rs}")" \
        --target wasm32-unknown-unknown -C opt-level=s -C lto -C panic=abort -C strip=symbols \
        --remap-path-prefix "$here=guests" -o "$out/$(basename "${f%.rs}").wasm" "$f"
done
