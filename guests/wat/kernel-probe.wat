;; Exercises the Extism kernel the way PDK guests do, plus every way a call can go wrong.
(module
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "free" (func $free (param i64)))
  (import "extism:host/env" "length" (func $length (param i64) (result i64)))
  (import "extism:host/env" "load_u8" (func $load_u8 (param i64) (result i32)))
  (import "extism:host/env" "load_u64" (func $load_u64 (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "store_u64" (func $store_u64 (param i64 i64)))
  (import "extism:host/env" "input_length" (func $input_length (result i64)))
  (import "extism:host/env" "input_offset" (func $input_offset (result i64)))
  (import "extism:host/env" "input_load_u8" (func $input_load_u8 (param i64) (result i32)))
  (import "extism:host/env" "input_load_u64" (func $input_load_u64 (param i64) (result i64)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (import "extism:host/env" "error_set" (func $error_set (param i64)))
  (import "extism:host/env" "config_get" (func $config_get (param i64) (result i64)))
  (import "extism:host/env" "var_get" (func $var_get (param i64) (result i64)))
  (import "extism:host/env" "var_set" (func $var_set (param i64 i64)))
  (import "extism:host/env" "log_info" (func $log_info (param i64)))
  (import "extism:host/env" "get_log_level" (func $get_log_level (result i32)))
  (import "extism:host/env" "http_request" (func $http_request (param i64 i64) (result i64)))
  (import "extism:host/env" "http_status_code" (func $http_status_code (result i32)))
  (import "extism:host/user" "astrid_net_read" (func $astrid_net_read (param i64) (result i64)))
  (import "extism:host/user" "astrid_clock_ms" (func $astrid_clock_ms (result i64)))

  (memory (export "memory") 2)
  ;; a stand-in for LLVM's shadow-stack pointer
  (global $sp (mut i64) (i64.const 65536))
  (data (i32.const 16) "boom")
  (data (i32.const 32) "n")

  ;; input -> guest memory at 4096 (at most 60 KiB); returns the length
  (func $read_input (result i32)
    (local $len i64) (local $i i64)
    (local.set $len (call $input_length))
    (block $d8 (loop $l8
      (br_if $d8 (i64.gt_u (i64.add (local.get $i) (i64.const 8)) (local.get $len)))
      (i64.store (i32.wrap_i64 (i64.add (i64.const 4096) (local.get $i))) (call $input_load_u64 (local.get $i)))
      (local.set $i (i64.add (local.get $i) (i64.const 8)))
      (br $l8)))
    (block $d1 (loop $l1
      (br_if $d1 (i64.ge_u (local.get $i) (local.get $len)))
      (i32.store8 (i32.wrap_i64 (i64.add (i64.const 4096) (local.get $i))) (call $input_load_u8 (local.get $i)))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $l1)))
    (i32.wrap_i64 (local.get $len)))

  ;; guest memory [ptr, ptr+len) -> new kernel block
  (func $to_block (param $ptr i32) (param $len i32) (result i64)
    (local $h i64) (local $i i32)
    (local.set $h (call $alloc (i64.extend_i32_u (local.get $len))))
    (block $d8 (loop $l8
      (br_if $d8 (i32.gt_u (i32.add (local.get $i) (i32.const 8)) (local.get $len)))
      (call $store_u64 (i64.add (local.get $h) (i64.extend_i32_u (local.get $i)))
                       (i64.load (i32.add (local.get $ptr) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br $l8)))
    (block $d1 (loop $l1
      (br_if $d1 (i32.ge_u (local.get $i) (local.get $len)))
      (call $store_u8 (i64.add (local.get $h) (i64.extend_i32_u (local.get $i)))
                      (i32.load8_u (i32.add (local.get $ptr) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l1)))
    (local.get $h))

  (func $output_block (param $h i64)
    (call $output_set (local.get $h) (call $length (local.get $h))))

  ;; output = input, copied through guest memory as a PDK guest does (also serves as a tool and a
  ;; hook that answer their own input, for `astrid tool` and astrid_trigger_hook)
  (func (export "echo") (export "astrid_tool_call") (export "astrid_hook_trigger") (result i32)
    (local $len i32)
    (local.set $len (call $read_input))
    (if (i32.gt_u (local.get $len) (i32.const 0))
      (then (call $output_block (call $to_block (i32.const 4096) (local.get $len)))))
    (i32.const 0))

  ;; error_set("boom") and return 1
  (func (export "fail") (result i32)
    (call $error_set (call $to_block (i32.const 16) (i32.const 4)))
    (i32.const 1))

  ;; return 7 without an error message
  (func (export "nonzero") (result i32) (i32.const 7))

  ;; a wasm trap
  (func (export "trap") (result i32) (unreachable))

  ;; never returns
  (func (export "spin") (result i32) (loop $forever (br $forever)) (i32.const 0))

  ;; recurses until the stack is exhausted
  (func $deep (param $n i64) (result i64)
    (i64.add (call $deep (i64.add (local.get $n) (i64.const 1))) (i64.const 1)))
  (func (export "recurse") (result i32) (drop (call $deep (i64.const 0))) (i32.const 0))

  ;; grows memory until refused, then traps as an allocator would
  (func (export "grow") (result i32)
    (loop $more
      (br_if $more (i32.ne (memory.grow (i32.const 16)) (i32.const -1))))
    (unreachable))

  ;; moves the stack pointer as a prologue would, then traps before the epilogue
  (func (export "leak_sp") (result i32)
    (global.set $sp (i64.sub (global.get $sp) (i64.const 112)))
    (unreachable))

  ;; moves the stack pointer and returns normally without restoring it (state that must persist)
  (func (export "bump_sp") (result i32)
    (global.set $sp (i64.sub (global.get $sp) (i64.const 8)))
    (i32.const 0))

  ;; output = the stack pointer as 8 little-endian bytes
  (func (export "get_sp") (result i32)
    (local $h i64)
    (local.set $h (call $alloc (i64.const 8)))
    (call $store_u64 (local.get $h) (global.get $sp))
    (call $output_block (local.get $h))
    (i32.const 0))

  ;; loads from a handle no block has
  (func (export "bad_load") (result i32)
    (drop (call $load_u64 (i64.const 0x7777000000000000)))
    (i32.const 0))

  ;; stores past the end of a block
  (func (export "bad_store") (result i32)
    (call $store_u64 (i64.add (call $alloc (i64.const 4)) (i64.const 1)) (i64.const 1))
    (i32.const 0))

  ;; output = config_get(input)
  (func (export "config") (result i32)
    (local $v i64)
    (local.set $v (call $config_get (call $to_block (i32.const 4096) (call $read_input))))
    (if (i64.ne (local.get $v) (i64.const 0)) (then (call $output_block (local.get $v))))
    (i32.const 0))

  ;; var "n" += 1 (one byte); output = the new byte
  (func (export "count") (result i32)
    (local $v i64) (local $n i32) (local $h i64)
    (local.set $v (call $var_get (call $to_block (i32.const 32) (i32.const 1))))
    (if (i64.ne (local.get $v) (i64.const 0)) (then (local.set $n (call $load_u8 (local.get $v)))))
    (local.set $n (i32.add (local.get $n) (i32.const 1)))
    (local.set $h (call $alloc (i64.const 1)))
    (call $store_u8 (local.get $h) (local.get $n))
    (call $var_set (call $to_block (i32.const 32) (i32.const 1)) (local.get $h))
    (local.set $h (call $alloc (i64.const 1)))
    (call $store_u8 (local.get $h) (local.get $n))
    (call $output_block (local.get $h))
    (i32.const 0))

  ;; log_info(input)
  (func (export "log") (result i32)
    (call $log_info (call $to_block (i32.const 4096) (call $read_input)))
    (i32.const 0))

  ;; output = get_log_level() as one byte
  (func (export "log_level") (result i32)
    (local $h i64)
    (local.set $h (call $alloc (i64.const 1)))
    (call $store_u8 (local.get $h) (call $get_log_level))
    (call $output_block (local.get $h))
    (i32.const 0))

  ;; output = length(input_offset()) as 8 bytes
  (func (export "input_size") (result i32)
    (local $h i64)
    (local.set $h (call $alloc (i64.const 8)))
    (call $store_u64 (local.get $h) (call $length (call $input_offset)))
    (call $output_block (local.get $h))
    (i32.const 0))

  ;; allocates blocks of 1 MiB until the kernel refuses; frees the last; output = how many it got (8 bytes)
  (func (export "exhaust") (result i32)
    (local $n i64) (local $h i64) (local $last i64)
    (loop $more
      (local.set $h (call $alloc (i64.const 1048576)))
      (if (i64.ne (local.get $h) (i64.const 0))
        (then (local.set $last (local.get $h)) (local.set $n (i64.add (local.get $n) (i64.const 1))) (br $more))))
    (call $free (local.get $last))
    (local.set $h (call $alloc (i64.const 8)))
    (if (i64.eqz (local.get $h)) (then (return (i32.const 9))))
    (call $store_u64 (local.get $h) (local.get $n))
    (call $output_block (local.get $h))
    (i32.const 0))

  ;; allocates and frees 1 MiB a thousand times: succeeds only if freed memory is given back
  (func (export "free_reuse") (result i32)
    (local $i i32) (local $h i64)
    (loop $more
      (local.set $h (call $alloc (i64.const 1048576)))
      (if (i64.eqz (local.get $h)) (then (return (i32.const 5))))
      (call $free (local.get $h))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $more (i32.lt_u (local.get $i) (i32.const 1000))))
    (i32.const 0))

  ;; calls a host function whose family may have no provider
  (func (export "net_read") (result i32)
    (drop (call $astrid_net_read (i64.const 0)))
    (i32.const 0))

  ;; output = astrid_clock_ms()
  (func (export "clock") (result i32)
    (call $output_block (call $astrid_clock_ms))
    (i32.const 0))

;; Extism HTTP: input = the request JSON; output = the status code as 2 little-endian bytes, then the body
  (func (export "http") (result i32)
    (local $body i64) (local $len i64) (local $out i64) (local $i i64) (local $status i32)
    (local.set $body (call $http_request (call $to_block (i32.const 4096) (call $read_input)) (i64.const 0)))
    (local.set $status (call $http_status_code))
    (local.set $len (if (result i64) (i64.eqz (local.get $body)) (then (i64.const 0)) (else (call $length (local.get $body)))))
    (local.set $out (call $alloc (i64.add (local.get $len) (i64.const 2))))
    (call $store_u8 (local.get $out) (local.get $status))
    (call $store_u8 (i64.add (local.get $out) (i64.const 1)) (i32.shr_u (local.get $status) (i32.const 8)))
    (block $done (loop $copy
      (br_if $done (i64.ge_u (local.get $i) (local.get $len)))
      (call $store_u8 (i64.add (local.get $out) (i64.add (local.get $i) (i64.const 2)))
                      (call $load_u8 (i64.add (local.get $body) (local.get $i))))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $copy)))
    (call $output_block (local.get $out))
    (i32.const 0))

  ;; a function that is not a plugin function
  (func (export "takes_args") (param i32) (result i32) (local.get 0))
)
