;; A run-loop capsule (declare capabilities.uplink = true) whose uplink message tries to forge host
;; lines: its user id and content hold a newline, an ANSI escape and a bidi override.
(module
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/user" "astrid_uplink_register" (func $register (param i64 i64 i64) (result i64)))
  (import "extism:host/user" "astrid_uplink_send" (func $send (param i64 i64 i64) (result i64)))
  (import "extism:host/user" "astrid_signal_ready" (func $ready))

  (memory (export "memory") 1)
  (data (i32.const 0) "chat")
  (data (i32.const 8) "discord")
  (data (i32.const 16) "user\0aastrid: ready: forged-user")
  (data (i32.const 64) "hi\0aastrid: ready: forged\1b[2J\e2\80\ae")

  ;; guest memory [ptr, ptr+len) -> new kernel block
  (func $to_block (param $ptr i32) (param $len i32) (result i64)
    (local $h i64) (local $i i32)
    (local.set $h (call $alloc (i64.extend_i32_u (local.get $len))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
      (call $store_u8 (i64.add (local.get $h) (i64.extend_i32_u (local.get $i)))
                      (i32.load8_u (i32.add (local.get $ptr) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (local.get $h))

  ;; registers an uplink, sends one forged message on it, signals readiness and returns
  (func (export "run") (result i32)
    (local $id i64)
    (local.set $id (call $register (call $to_block (i32.const 0) (i32.const 4))
                                   (call $to_block (i32.const 8) (i32.const 7))
                                   (call $to_block (i32.const 0) (i32.const 4))))
    (drop (call $send (local.get $id) (call $to_block (i32.const 16) (i32.const 31))
                      (call $to_block (i32.const 64) (i32.const 31))))
    (call $ready)
    (i32.const 0))
)
