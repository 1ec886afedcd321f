;; Misuses the Extism kernel the way a hostile guest would: bad lengths and handles for output,
;; error and input, traps after memory ran out (or did not), control characters and floods in logs.
(module
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "free" (func $free (param i64)))
  (import "extism:host/env" "load_u64" (func $load_u64 (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "input_length" (func $input_length (result i64)))
  (import "extism:host/env" "input_offset" (func $input_offset (result i64)))
  (import "extism:host/env" "input_load_u64" (func $input_load_u64 (param i64) (result i64)))
  (import "extism:host/env" "input_set" (func $input_set (param i64 i64)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (import "extism:host/env" "error_set" (func $error_set (param i64)))
  (import "extism:host/env" "log_info" (func $log_info (param i64)))
  (import "extism:host/user" "astrid_log" (func $astrid_log (param i64 i64)))

  (memory (export "memory") 1)
  (data (i32.const 0) "info")
  (data (i32.const 16) "boom")
  (data (i32.const 32) "boom\0aastrid: ready: forged\1b[2J")

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

  ;; output = input (a call that works, to show the capsule is still usable)
  (func (export "echo") (result i32)
    (call $output_set (call $input_offset) (call $input_length))
    (i32.const 0))

  ;; output_set with a negative, a huge, and a bogus handle
  (func (export "output_negative") (result i32)
    (call $output_set (call $alloc (i64.const 4)) (i64.const -1))
    (i32.const 0))
  (func (export "output_huge") (result i32)
    (call $output_set (call $alloc (i64.const 4)) (i64.const 0x7fffffffffffffff))
    (i32.const 0))
  (func (export "output_bogus") (result i32)
    (call $output_set (i64.const 0x7777000000000000) (i64.const 4))
    (i32.const 0))

  ;; input_set with a negative length
  (func (export "input_negative") (result i32)
    (call $input_set (call $alloc (i64.const 4)) (i64.const -1))
    (i32.const 0))

  ;; error_set with a bogus, an interior and a freed handle, then "success"
  (func (export "error_bogus") (result i32)
    (call $error_set (i64.const 0x7777000000000000))
    (i32.const 0))
  (func (export "error_interior") (result i32)
    (call $error_set (i64.add (call $to_block (i32.const 16) (i32.const 4)) (i64.const 1)))
    (i32.const 0))
  (func (export "error_freed") (result i32)
    (local $h i64)
    (local.set $h (call $to_block (i32.const 16) (i32.const 4)))
    (call $error_set (local.get $h))
    (call $free (local.get $h))
    (i32.const 0))

  ;; error_set with a message that tries to start a host line on the terminal, and return 1
  (func (export "fail_forged") (result i32)
    (call $error_set (call $to_block (i32.const 32) (i32.const 30)))
    (i32.const 1))

  ;; grows memory to exactly the number of pages in the input (u64), then traps: not out of memory
  (func (export "grow_to_then_trap") (result i32)
    (drop (memory.grow (i32.sub (i32.wrap_i64 (call $input_load_u64 (i64.const 0))) (memory.size))))
    (unreachable))

  ;; grows until refused, then aborts as an allocator does: out of memory
  (func (export "grow_refused_then_trap") (result i32)
    (loop $more
      (br_if $more (i32.ne (memory.grow (i32.const 16)) (i32.const -1))))
    (unreachable))

  ;; grows until refused, then divides by zero: a trap that has nothing to do with memory
  (func (export "grow_refused_then_divide_by_zero") (result i32)
    (loop $more
      (br_if $more (i32.ne (memory.grow (i32.const 16)) (i32.const -1))))
    (i32.div_s (i32.const 1) (i32.const 0)))

  ;; a plain trap
  (func (export "trap") (result i32) (unreachable))

  ;; a kernel alloc refused for its size, then a load from a bogus handle: a host error, not out of memory
  (func (export "kernel_refused_then_bad_load") (result i32)
    (drop (call $alloc (i64.const 0x7fffffff00000000)))
    (drop (call $load_u64 (i64.const 0x7777000000000000)))
    (i32.const 0))

  ;; logs the input once through astrid_log and once through log_info
  (func (export "log_both") (result i32)
    (call $astrid_log (call $to_block (i32.const 0) (i32.const 4)) (call $input_offset))
    (call $log_info (call $input_offset))
    (i32.const 0))

  ;; logs the input 3000 times through astrid_log (which leaves its argument blocks alone)
  (func (export "log_flood") (result i32)
    (local $level i64) (local $i i32)
    (local.set $level (call $to_block (i32.const 0) (i32.const 4)))
    (loop $more
      (call $astrid_log (local.get $level) (call $input_offset))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $more (i32.lt_u (local.get $i) (i32.const 3000))))
    (i32.const 0))

  ;; logs "boom" 3000 times through log_info (which frees each block)
  (func (export "kernel_log_flood") (result i32)
    (local $i i32)
    (loop $more
      (call $log_info (call $to_block (i32.const 16) (i32.const 4)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $more (i32.lt_u (local.get $i) (i32.const 3000))))
    (i32.const 0))
)
