#!/usr/bin/env python3
"""Writes a large Extism guest for the module-cache figures: guests/wat/kernel-probe.wat (echo and
friends) plus N generated functions, so that Chicory has about as much code to compile as in a
1-2 MB Rust plugin. Usage: large-guest.py OUT.wat [N]   (default N=1700, about 1.8 MB of wasm)."""
import pathlib
import sys

here = pathlib.Path(__file__).resolve().parent
probe = (here.parent.parent / "guests" / "wat" / "kernel-probe.wat").read_text()
out = pathlib.Path(sys.argv[1])
n = int(sys.argv[2]) if len(sys.argv) > 2 else 1700


def filler(i):
    # Integer work in a loop with branches: each function is a few hundred wasm instructions,
    # well under the JVM's method size limit, so the compiler (not the interpreter) takes it.
    body = [f"  (func $filler{i} (export \"filler{i}\") (param $a i32) (param $b i32) (result i32)",
            "    (local $i i32) (local $x i32) (local $y i32)",
            "    (local.set $x (local.get $a)) (local.set $y (local.get $b))",
            "    (block $done (loop $next",
            "      (br_if $done (i32.ge_u (local.get $i) (i32.const 64)))"]
    for k in range(24):
        c = (i * 7919 + k * 104729) & 0x7fffffff
        body.append(f"      (local.set $x (i32.xor (i32.add (local.get $x) (i32.const {c})) "
                    f"(i32.rotl (local.get $y) (i32.const {k % 31 + 1}))))")
        body.append(f"      (if (i32.and (local.get $x) (i32.const {1 << (k % 16)}))"
                    f" (then (local.set $y (i32.mul (local.get $y) (i32.const {c | 1}))))"
                    f" (else (local.set $y (i32.sub (local.get $y) (local.get $x)))))")
    body += ["      (local.set $i (i32.add (local.get $i) (i32.const 1)))",
             "      (br $next)))",
             "    (i32.add (local.get $x) (local.get $y)))"]
    return "\n".join(body)


head, tail = probe.rstrip().rsplit(")", 1)
out.write_text(head + "\n" + "\n".join(filler(i) for i in range(n)) + "\n)" + tail + "\n")
