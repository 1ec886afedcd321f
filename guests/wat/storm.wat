;; Fails in each way the abort storm needs, on demand: trap, spin (a timeout), host_error (a
;; provider refuses the call), oom (kernel memory exhausted); ok answers normally.
(module
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "length" (func $length (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (import "extism:host/user" "astrid_kv_get" (func $kv_get (param i64) (result i64)))
  (import "extism:host/user" "astrid_clock_ms" (func $clock_ms (result i64)))
  (memory (export "memory") 1)
  ;; a stand-in for LLVM's shadow-stack pointer: every aborted call leaves it moved
  (global $sp (mut i64) (i64.const 65536))
  (data (i32.const 0) "bad\00key")

  ;; guest memory [ptr, ptr+len) -> new kernel block
  (func $block (param $ptr i32) (param $len i32) (result i64)
    (local $h i64) (local $i i32)
    (local.set $h (call $alloc (i64.extend_i32_u (local.get $len))))
    (block $done (loop $copy
      (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
      (call $store_u8 (i64.add (local.get $h) (i64.extend_i32_u (local.get $i)))
                      (i32.load8_u (i32.add (local.get $ptr) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $copy)))
    (local.get $h))

  (func $enter (global.set $sp (i64.sub (global.get $sp) (i64.const 64))))

  (func (export "trap") (result i32) (call $enter) (unreachable))

  (func (export "spin") (result i32) (call $enter) (loop $forever (br $forever)) (i32.const 0))

  ;; a key with a NUL byte, which the KV provider refuses
  (func (export "host_error") (result i32)
    (call $enter)
    (drop (call $kv_get (call $block (i32.const 0) (i32.const 7))))
    (i32.const 0))

  ;; fills kernel memory with 64 KiB blocks, then asks for a host result that no longer fits
  (func (export "oom") (result i32)
    (call $enter)
    (loop $more (br_if $more (i64.ne (call $alloc (i64.const 65536)) (i64.const 0))))
    (drop (call $clock_ms))
    (i32.const 0))

  ;; output = the clock, but only while the stack pointer is where it started
  (func (export "ok") (result i32)
    (local $h i64)
    (if (i64.ne (global.get $sp) (i64.const 65536)) (then (unreachable)))
    (local.set $h (call $clock_ms))
    (call $output_set (local.get $h) (call $length (local.get $h)))
    (i32.const 0))
)
