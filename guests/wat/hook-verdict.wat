;; An interceptor that answers with an SDK 0.5 verdict byte chosen by its action's first letter:
;; "continue..." -> 0x00 {"v":"continue"}, "final..." -> 0x01 {"v":"final"},
;; "deny..." -> 0x02 "not on my watch", anything else -> {"v":"plain"} with no verdict byte.
;; The input starts {"name":"<action>", so the action's first letter is input byte 9.
(module
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "input_length" (func $input_length (result i64)))
  (import "extism:host/env" "input_load_u8" (func $input_load_u8 (param i64) (result i32)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\00{\"v\":\"continue\"}")
  (data (i32.const 32) "\01{\"v\":\"final\"}")
  (data (i32.const 64) "\02not on my watch")
  (data (i32.const 96) "{\"v\":\"plain\"}")

  ;; sets the output to memory[$ptr, $ptr+$len)
  (func $answer (param $ptr i32) (param $len i32)
    (local $h i64) (local $i i32)
    (local.set $h (call $alloc (i64.extend_i32_u (local.get $len))))
    (block $done (loop $copy
      (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
      (call $store_u8 (i64.add (local.get $h) (i64.extend_i32_u (local.get $i)))
                      (i32.load8_u (i32.add (local.get $ptr) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $copy)))
    (call $output_set (local.get $h) (i64.extend_i32_u (local.get $len))))

  (func (export "astrid_hook_trigger") (result i32)
    (local $c i32)
    (if (i64.gt_u (call $input_length) (i64.const 9))
      (then (local.set $c (call $input_load_u8 (i64.const 9)))))
    (if (i32.eq (local.get $c) (i32.const 0x63)) (then (call $answer (i32.const 0) (i32.const 17)) (return (i32.const 0))))
    (if (i32.eq (local.get $c) (i32.const 0x66)) (then (call $answer (i32.const 32) (i32.const 14)) (return (i32.const 0))))
    (if (i32.eq (local.get $c) (i32.const 0x64)) (then (call $answer (i32.const 64) (i32.const 16)) (return (i32.const 0))))
    (call $answer (i32.const 96) (i32.const 13))
    (i32.const 0))
)
