;; A capsule with cron jobs: `schedule` calls astrid_cron_schedule with its input split as
;; [name length u8][schedule length u8][name][schedule][payload]; `cancel` calls astrid_cron_cancel
;; with its input as the name; every astrid_cron_trigger call appends its input and a newline to the
;; KV value "fires"; `fires` outputs that value (empty before the first fire).
(module
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "length" (func $length (param i64) (result i64)))
  (import "extism:host/env" "load_u8" (func $load_u8 (param i64) (result i32)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "input_length" (func $input_length (result i64)))
  (import "extism:host/env" "input_load_u8" (func $input_load_u8 (param i64) (result i32)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (import "extism:host/user" "astrid_kv_get" (func $kv_get (param i64) (result i64)))
  (import "extism:host/user" "astrid_kv_set" (func $kv_set (param i64 i64)))
  (import "extism:host/user" "astrid_cron_schedule" (func $cron_schedule (param i64 i64 i64)))
  (import "extism:host/user" "astrid_cron_cancel" (func $cron_cancel (param i64)))
  (memory (export "memory") 1)
  (data (i32.const 16) "fires")

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

  ;; input bytes [from, from + len) in a new block (0 when empty)
  (func $input_range (param $from i64) (param $len i64) (result i64)
    (local $h i64) (local $i i64)
    (if (i64.eqz (local.get $len)) (then (return (i64.const 0))))
    (local.set $h (call $alloc (local.get $len)))
    (block $done (loop $copy
      (br_if $done (i64.ge_u (local.get $i) (local.get $len)))
      (call $store_u8 (i64.add (local.get $h) (local.get $i))
                      (call $input_load_u8 (i64.add (local.get $from) (local.get $i))))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $copy)))
    (local.get $h))

  (func (export "schedule") (result i32)
    (local $n i64) (local $m i64) (local $total i64)
    (local.set $total (call $input_length))
    (local.set $n (i64.extend_i32_u (call $input_load_u8 (i64.const 0))))
    (local.set $m (i64.extend_i32_u (call $input_load_u8 (i64.const 1))))
    (call $cron_schedule
      (call $input_range (i64.const 2) (local.get $n))
      (call $input_range (i64.add (i64.const 2) (local.get $n)) (local.get $m))
      (call $input_range (i64.add (i64.add (i64.const 2) (local.get $n)) (local.get $m))
                         (i64.sub (local.get $total) (i64.add (i64.add (i64.const 2) (local.get $n)) (local.get $m)))))
    (i32.const 0))

  (func (export "cancel") (result i32)
    (call $cron_cancel (call $input_range (i64.const 0) (call $input_length)))
    (i32.const 0))

  ;; "fires" = old value, the input, "\n"
  (func (export "astrid_cron_trigger") (result i32)
    (local $old i64) (local $n i64) (local $in i64) (local $h i64) (local $i i64)
    (local.set $old (call $kv_get (call $const_block (i32.const 16) (i32.const 5))))
    (local.set $n (if (result i64) (i64.eqz (local.get $old)) (then (i64.const 0)) (else (call $length (local.get $old)))))
    (local.set $in (call $input_length))
    (local.set $h (call $alloc (i64.add (i64.add (local.get $n) (local.get $in)) (i64.const 1))))
    (block $d1 (loop $l1
      (br_if $d1 (i64.ge_u (local.get $i) (local.get $n)))
      (call $store_u8 (i64.add (local.get $h) (local.get $i)) (call $load_u8 (i64.add (local.get $old) (local.get $i))))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $l1)))
    (local.set $i (i64.const 0))
    (block $d2 (loop $l2
      (br_if $d2 (i64.ge_u (local.get $i) (local.get $in)))
      (call $store_u8 (i64.add (local.get $h) (i64.add (local.get $n) (local.get $i))) (call $input_load_u8 (local.get $i)))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $l2)))
    (call $store_u8 (i64.add (local.get $h) (i64.add (local.get $n) (local.get $in))) (i32.const 10))
    (call $kv_set (call $const_block (i32.const 16) (i32.const 5)) (local.get $h))
    (i32.const 0))

  (func (export "fires") (result i32)
    (local $v i64)
    (local.set $v (call $kv_get (call $const_block (i32.const 16) (i32.const 5))))
    (if (i64.ne (local.get $v) (i64.const 0))
      (then (call $output_set (local.get $v) (call $length (local.get $v)))))
    (i32.const 0))
)
