;; The three streaming-HTTP imports of SDK 0.2.2 (astrid_http_stream_start/read/close), one export
;; each: the call's input is the argument, the result (if any) is the output.
(module
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "length" (func $length (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "input_length" (func $input_length (result i64)))
  (import "extism:host/env" "input_load_u8" (func $input_load_u8 (param i64) (result i32)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (import "extism:host/user" "astrid_http_stream_start" (func $start (param i64) (result i64)))
  (import "extism:host/user" "astrid_http_stream_read" (func $read (param i64) (result i64)))
  (import "extism:host/user" "astrid_http_stream_close" (func $close (param i64)))
  (memory (export "memory") 1)

  ;; the call's input in a new kernel block; 0 when it is empty
  (func $input (result i64)
    (local $n i64) (local $h i64) (local $i i64)
    (local.set $n (call $input_length))
    (if (i64.eqz (local.get $n)) (then (return (i64.const 0))))
    (local.set $h (call $alloc (local.get $n)))
    (block $done (loop $copy
      (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
      (call $store_u8 (i64.add (local.get $h) (local.get $i)) (call $input_load_u8 (local.get $i)))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $copy)))
    (local.get $h))

  (func $output (param $h i64)
    (if (i64.ne (local.get $h) (i64.const 0))
      (then (call $output_set (local.get $h) (call $length (local.get $h))))))

  (func (export "start") (result i32)
    (call $output (call $start (call $input)))
    (i32.const 0))

  (func (export "read") (result i32)
    (call $output (call $read (call $input)))
    (i32.const 0))

  (func (export "close") (result i32)
    (call $close (call $input))
    (i32.const 0))
)
