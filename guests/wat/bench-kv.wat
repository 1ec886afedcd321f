;; The host-call round-trip workload of the benchmarks (astrid-benchmarks, docs/benchmarks.md).
;; Input of bench and bench_raw: an 8-byte little-endian count N, then a 16-byte key; bench_set
;; takes the value to store after the key.
;; Both return 0 when every astrid_kv_get answered a 32-byte value, 1 as soon as one did not,
;; and 2 when the input is shorter than 24 bytes, so a wrong setup cannot pass as fast.
(module
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "free" (func $free (param i64)))
  (import "extism:host/env" "length" (func $length (param i64) (result i64)))
  (import "extism:host/env" "load_u64" (func $load_u64 (param i64) (result i64)))
  (import "extism:host/env" "store_u64" (func $store_u64 (param i64 i64)))
  (import "extism:host/env" "input_length" (func $input_length (result i64)))
  (import "extism:host/env" "input_load_u64" (func $input_load_u64 (param i64) (result i64)))
  (import "extism:host/env" "input_load_u8" (func $input_load_u8 (param i64) (result i32)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/user" "astrid_kv_get" (func $astrid_kv_get (param i64) (result i64)))
  (import "extism:host/user" "astrid_kv_set" (func $astrid_kv_set (param i64 i64)))

  ;; guest memory: the key at 0..16, the value read back at 64..96, bench_set's value from 128
  (memory (export "memory") 1)

  ;; copies the key from the input into guest memory at 0; returns N, or -1 for a short input
  (func $read_input (result i64)
    (if (i64.lt_u (call $input_length) (i64.const 24))
      (then (return (i64.const -1))))
    (i64.store (i32.const 0) (call $input_load_u64 (i64.const 8)))
    (i64.store (i32.const 8) (call $input_load_u64 (i64.const 16)))
    (call $input_load_u64 (i64.const 0)))

  ;; N PDK-style round trips: alloc(16), 2x store_u64 of the key from guest memory, astrid_kv_get,
  ;; length of the result, 4x load_u64 of the value into guest memory, free of both blocks
  ;; (11 imports per round trip)
  (func (export "bench") (result i32)
    (local $n i64) (local $k i64) (local $v i64)
    (local.set $n (call $read_input))
    (if (i64.eq (local.get $n) (i64.const -1)) (then (return (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i64.eqz (local.get $n)))
        (local.set $k (call $alloc (i64.const 16)))
        (call $store_u64 (local.get $k) (i64.load (i32.const 0)))
        (call $store_u64 (i64.add (local.get $k) (i64.const 8)) (i64.load (i32.const 8)))
        (local.set $v (call $astrid_kv_get (local.get $k)))
        (if (i64.ne (call $length (local.get $v)) (i64.const 32)) (then (return (i32.const 1))))
        (i64.store (i32.const 64) (call $load_u64 (local.get $v)))
        (i64.store (i32.const 72) (call $load_u64 (i64.add (local.get $v) (i64.const 8))))
        (i64.store (i32.const 80) (call $load_u64 (i64.add (local.get $v) (i64.const 16))))
        (i64.store (i32.const 88) (call $load_u64 (i64.add (local.get $v) (i64.const 24))))
        (call $free (local.get $k))
        (call $free (local.get $v))
        (local.set $n (i64.sub (local.get $n) (i64.const 1)))
        (br $next)))
    (i32.const 0))

  ;; N bare round trips on one key block allocated once: astrid_kv_get, length, free of the result
  ;; (3 imports per round trip, no copying in the guest)
  (func (export "bench_raw") (result i32)
    (local $n i64) (local $k i64) (local $v i64)
    (local.set $n (call $read_input))
    (if (i64.eq (local.get $n) (i64.const -1)) (then (return (i32.const 2))))
    (local.set $k (call $alloc (i64.const 16)))
    (call $store_u64 (local.get $k) (i64.load (i32.const 0)))
    (call $store_u64 (i64.add (local.get $k) (i64.const 8)) (i64.load (i32.const 8)))
    (block $done
      (loop $next
        (br_if $done (i64.eqz (local.get $n)))
        (local.set $v (call $astrid_kv_get (local.get $k)))
        (if (i64.ne (call $length (local.get $v)) (i64.const 32)) (then (return (i32.const 1))))
        (call $free (local.get $v))
        (local.set $n (i64.sub (local.get $n) (i64.const 1)))
        (br $next)))
    (call $free (local.get $k))
    (i32.const 0))

  ;; N writes: each copies the key and the value (the input after the key, at most 60 KiB) from
  ;; guest memory into new blocks and calls astrid_kv_set on them
  (func (export "bench_set") (result i32)
    (local $n i64) (local $len i64) (local $i i64) (local $k i64) (local $v i64)
    (local.set $n (call $read_input))
    (if (i64.eq (local.get $n) (i64.const -1)) (then (return (i32.const 2))))
    (local.set $len (i64.sub (call $input_length) (i64.const 24)))
    (if (i64.gt_u (local.get $len) (i64.const 61440)) (then (return (i32.const 2))))
    (block $copied (loop $copy
      (br_if $copied (i64.ge_u (local.get $i) (local.get $len)))
      (i32.store8 (i32.wrap_i64 (i64.add (i64.const 128) (local.get $i)))
                  (call $input_load_u8 (i64.add (i64.const 24) (local.get $i))))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $copy)))
    (block $done
      (loop $next
        (br_if $done (i64.eqz (local.get $n)))
        (local.set $k (call $alloc (i64.const 16)))
        (call $store_u64 (local.get $k) (i64.load (i32.const 0)))
        (call $store_u64 (i64.add (local.get $k) (i64.const 8)) (i64.load (i32.const 8)))
        (local.set $v (call $alloc (local.get $len)))
        (local.set $i (i64.const 0))
        (block $d8 (loop $l8
          (br_if $d8 (i64.gt_u (i64.add (local.get $i) (i64.const 8)) (local.get $len)))
          (call $store_u64 (i64.add (local.get $v) (local.get $i))
                           (i64.load (i32.wrap_i64 (i64.add (i64.const 128) (local.get $i)))))
          (local.set $i (i64.add (local.get $i) (i64.const 8)))
          (br $l8)))
        (block $d1 (loop $l1
          (br_if $d1 (i64.ge_u (local.get $i) (local.get $len)))
          (call $store_u8 (i64.add (local.get $v) (local.get $i))
                          (i32.load8_u (i32.wrap_i64 (i64.add (i64.const 128) (local.get $i)))))
          (local.set $i (i64.add (local.get $i) (i64.const 1)))
          (br $l1)))
        (call $astrid_kv_set (local.get $k) (local.get $v))
        (call $free (local.get $k))
        (call $free (local.get $v))
        (local.set $n (i64.sub (local.get $n) (i64.const 1)))
        (br $next)))
    (i32.const 0))
)
