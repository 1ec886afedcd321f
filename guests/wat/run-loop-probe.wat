;; A run-loop capsule (it exports `run`) that reports its interceptor handles from `handles`.
(module
  (import "extism:host/env" "length" (func $length (param i64) (result i64)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (import "extism:host/user" "astrid_get_interceptor_handles" (func $handles (result i64)))
  (memory (export "memory") 1)
  (func (export "run") (result i32) (i32.const 0))
  (func (export "handles") (result i32)
    (local $h i64)
    (local.set $h (call $handles))
    (if (i64.ne (local.get $h) (i64.const 0))
      (then (call $output_set (local.get $h) (call $length (local.get $h)))))
    (i32.const 0))
)
