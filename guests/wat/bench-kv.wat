;; The host-call round-trip workload of the benchmarks (astrid-benchmarks, docs/benchmarks.md).
;; Input of both exports: an 8-byte little-endian count N, then a 16-byte key.
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
  (import "extism:host/user" "astrid_kv_get" (func $astrid_kv_get (param i64) (result i64)))

  ;; guest memory: the key at 0..16, the value read back at 64..96
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
)
