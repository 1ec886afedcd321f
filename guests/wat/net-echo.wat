;; A Unix-socket echo server run loop: binds "echo.sock" in its socket directory, signals ready,
;; then serves one client at a time: every frame it reads is written back as one frame, and the
;; frame "bye" closes that client's stream before the next client is accepted. A client that goes
;; away without "bye" makes astrid_net_read trap (the seed's end-of-stream answer), which ends the
;; run loop; unloading ends it too.
(module
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "free" (func $free (param i64)))
  (import "extism:host/env" "length" (func $length (param i64) (result i64)))
  (import "extism:host/env" "load_u8" (func $load_u8 (param i64) (result i32)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/user" "astrid_net_bind_unix" (func $bind (param i64) (result i64)))
  (import "extism:host/user" "astrid_net_accept" (func $accept (param i64) (result i64)))
  (import "extism:host/user" "astrid_net_read" (func $read (param i64) (result i64)))
  (import "extism:host/user" "astrid_net_write" (func $write (param i64 i64)))
  (import "extism:host/user" "astrid_net_close_stream" (func $close (param i64)))
  (import "extism:host/user" "astrid_signal_ready" (func $ready))
  (memory (export "memory") 1)
  (data (i32.const 0) "echo.sock")

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

  ;; whether a kernel block holds exactly "bye"
  (func $is_bye (param $m i64) (result i32)
    (if (i64.ne (call $length (local.get $m)) (i64.const 3)) (then (return (i32.const 0))))
    (i32.and
      (i32.and
        (i32.eq (call $load_u8 (local.get $m)) (i32.const 98))
        (i32.eq (call $load_u8 (i64.add (local.get $m) (i64.const 1))) (i32.const 121)))
      (i32.eq (call $load_u8 (i64.add (local.get $m) (i64.const 2))) (i32.const 101))))

  (func (export "run") (result i32)
    (local $path i64) (local $listener i64) (local $stream i64) (local $m i64)
    (local.set $path (call $block (i32.const 0) (i32.const 9)))
    (local.set $listener (call $bind (local.get $path)))
    (call $free (local.get $path))
    (call $ready)
    (loop $clients
      (local.set $stream (call $accept (local.get $listener)))
      (block $gone
        (loop $serve
          (local.set $m (call $read (local.get $stream)))
          (if (i64.gt_u (call $length (local.get $m)) (i64.const 0))
            (then
              (if (call $is_bye (local.get $m))
                (then
                  (call $free (local.get $m))
                  (call $close (local.get $stream))
                  (br $gone)))
              (call $write (local.get $stream) (local.get $m))))
          (if (i64.ne (local.get $m) (i64.const 0)) (then (call $free (local.get $m))))
          (br $serve)))
      (call $free (local.get $stream))
      (br $clients))
    (i32.const 0))
)
