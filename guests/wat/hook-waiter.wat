;; An interceptor-only capsule whose every astrid_hook_trigger call waits: it subscribes to
;; "hook.wait" and blocks in astrid_ipc_recv for up to 60 s. Waiting costs no CPU, so a test can pile
;; up a capsule's interceptor backlog behind it.
(module
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/user" "astrid_ipc_subscribe" (func $subscribe (param i64) (result i64)))
  (import "extism:host/user" "astrid_ipc_recv" (func $recv (param i64 i64) (result i64)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hook.wait")
  (data (i32.const 32) "60000")

  (func $const_block (param $ptr i32) (param $len i32) (result i64)
    (local $h i64) (local $i i32)
    (local.set $h (call $alloc (i64.extend_i32_u (local.get $len))))
    (block $done (loop $copy
      (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
      (call $store_u8 (i64.add (local.get $h) (i64.extend_i32_u (local.get $i)))
                      (i32.load8_u (i32.add (local.get $ptr) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $copy)))
    (local.get $h))

  (func (export "astrid_hook_trigger") (result i32)
    (drop (call $recv (call $subscribe (call $const_block (i32.const 16) (i32.const 9)))
                      (call $const_block (i32.const 32) (i32.const 5))))
    (i32.const 0))
)
