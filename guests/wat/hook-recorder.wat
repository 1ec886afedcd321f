;; An interceptor-only capsule: every astrid_hook_trigger call stores its input in the KV store
;; under "last_hook" and appends one byte to "hook_count"; `last` outputs what was stored.
(module
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "length" (func $length (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "store_u64" (func $store_u64 (param i64 i64)))
  (import "extism:host/env" "input_length" (func $input_length (result i64)))
  (import "extism:host/env" "input_load_u8" (func $input_load_u8 (param i64) (result i32)))
  (import "extism:host/env" "input_load_u64" (func $input_load_u64 (param i64) (result i64)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (import "extism:host/user" "astrid_kv_get" (func $kv_get (param i64) (result i64)))
  (import "extism:host/user" "astrid_kv_set" (func $kv_set (param i64 i64)))
  (memory (export "memory") 1)
  (data (i32.const 16) "last_hook")
  (data (i32.const 32) "hook_count")

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

  ;; the whole input in a new block
  (func $input_block (result i64)
    (local $len i64) (local $h i64) (local $i i64)
    (local.set $len (call $input_length))
    (if (i64.eqz (local.get $len)) (then (return (i64.const 0))))
    (local.set $h (call $alloc (local.get $len)))
    (block $d8 (loop $l8
      (br_if $d8 (i64.gt_u (i64.add (local.get $i) (i64.const 8)) (local.get $len)))
      (call $store_u64 (i64.add (local.get $h) (local.get $i)) (call $input_load_u64 (local.get $i)))
      (local.set $i (i64.add (local.get $i) (i64.const 8)))
      (br $l8)))
    (block $d1 (loop $l1
      (br_if $d1 (i64.ge_u (local.get $i) (local.get $len)))
      (call $store_u8 (i64.add (local.get $h) (local.get $i)) (call $input_load_u8 (local.get $i)))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $l1)))
    (local.get $h))

  (func (export "astrid_hook_trigger") (result i32)
    (local $count i64) (local $n i64) (local $h i64) (local $i i64)
    (call $kv_set (call $const_block (i32.const 16) (i32.const 9)) (call $input_block))
    ;; hook_count grows by one byte per call
    (local.set $count (call $kv_get (call $const_block (i32.const 32) (i32.const 10))))
    (local.set $n (if (result i64) (i64.eqz (local.get $count)) (then (i64.const 0)) (else (call $length (local.get $count)))))
    (local.set $h (call $alloc (i64.add (local.get $n) (i64.const 1))))
    (block $done (loop $fill
      (br_if $done (i64.gt_u (local.get $i) (local.get $n)))
      (call $store_u8 (i64.add (local.get $h) (local.get $i)) (i32.const 120))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $fill)))
    (call $kv_set (call $const_block (i32.const 32) (i32.const 10)) (local.get $h))
    (i32.const 0))

  ;; output = the stored "last_hook" value (empty before the first hook call)
  (func (export "last") (result i32)
    (local $v i64)
    (local.set $v (call $kv_get (call $const_block (i32.const 16) (i32.const 9))))
    (if (i64.ne (local.get $v) (i64.const 0))
      (then (call $output_set (local.get $v) (call $length (local.get $v)))))
    (i32.const 0))
)
