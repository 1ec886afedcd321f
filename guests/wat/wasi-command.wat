;; A WASI command module: the host runs _start once at load (it exits with code 0 through proc_exit).
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (memory (export "memory") 1)
  (global $started (mut i32) (i32.const 0))
  (func (export "_start")
    (global.set $started (i32.const 1))
    (call $proc_exit (i32.const 0)))
  ;; output = "1" once _start has run
  (func (export "started") (result i32)
    (local $h i64)
    (local.set $h (call $alloc (i64.const 1)))
    (call $store_u8 (local.get $h) (i32.add (i32.const 48) (global.get $started)))
    (call $output_set (local.get $h) (i64.const 1))
    (i32.const 0))
)
