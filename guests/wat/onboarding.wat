;; An onboarding capsule: its install hook asks for a secret (api_key) and a text (region) with
;; astrid_elicit and keeps the region's answer in KV; its upgrade hook asks for the region again.
;; `has_key` answers astrid_has_secret for api_key, `region` outputs the kept answer, `ask_now`
;; elicits outside the lifecycle (which must trap) and `approve` passes its input to
;; astrid_request_approval.
(module
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "length" (func $length (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "store_u64" (func $store_u64 (param i64 i64)))
  (import "extism:host/env" "input_length" (func $input_length (result i64)))
  (import "extism:host/env" "input_load_u8" (func $input_load_u8 (param i64) (result i32)))
  (import "extism:host/env" "input_load_u64" (func $input_load_u64 (param i64) (result i64)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (import "extism:host/user" "astrid_kv_get" (func $kv_get (param i64) (result i64)))
  (import "extism:host/user" "astrid_kv_set" (func $kv_set (param i64 i64)))
  (import "extism:host/user" "astrid_elicit" (func $elicit (param i64) (result i64)))
  (import "extism:host/user" "astrid_has_secret" (func $has_secret (param i64) (result i64)))
  (import "extism:host/user" "astrid_request_approval" (func $request_approval (param i64) (result i64)))
  (memory (export "memory") 1)
  (data (i32.const 16) "{\"type\":\"secret\",\"key\":\"api_key\",\"description\":\"API key of the service\"}")
  (data (i32.const 112) "{\"type\":\"text\",\"key\":\"region\",\"description\":\"Region to serve\",\"default\":\"eu\"}")
  (data (i32.const 208) "region")
  (data (i32.const 240) "{\"key\":\"api_key\"}")

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

  ;; the whole input in a new block
  (func $input_block (result i64)
    (local $len i64) (local $h i64) (local $i i64)
    (local.set $len (call $input_length))
    (if (i64.eqz (local.get $len)) (then (return (i64.const 0))))
    (local.set $h (call $alloc (local.get $len)))
    (block $d8 (loop $l8
      (br_if $d8 (i64.gt_u (i64.add (local.get $i) (i64.const 8)) (local.get $len)))
      (call $store_u64 (i64.add (local.get $h) (local.get $i)) (call $input_load_u64 (local.get $i)))
      (local.set $i (i64.add (local.get $i) (i64.const 8)))
      (br $l8)))
    (block $d1 (loop $l1
      (br_if $d1 (i64.ge_u (local.get $i) (local.get $len)))
      (call $store_u8 (i64.add (local.get $h) (local.get $i)) (call $input_load_u8 (local.get $i)))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $l1)))
    (local.get $h))

  (func $output (param $h i64)
    (if (i64.ne (local.get $h) (i64.const 0))
      (then (call $output_set (local.get $h) (call $length (local.get $h))))))

  (func $ask_region
    (call $kv_set (call $const_block (i32.const 208) (i32.const 6)) (call $elicit (call $const_block (i32.const 112) (i32.const 77)))))

  (func (export "astrid_install") (result i32)
    (drop (call $elicit (call $const_block (i32.const 16) (i32.const 72))))
    (call $ask_region)
    (i32.const 0))

  (func (export "astrid_upgrade") (result i32)
    (call $ask_region)
    (i32.const 0))

  (func (export "has_key") (result i32)
    (call $output (call $has_secret (call $const_block (i32.const 240) (i32.const 17))))
    (i32.const 0))

  (func (export "region") (result i32)
    (call $output (call $kv_get (call $const_block (i32.const 208) (i32.const 6))))
    (i32.const 0))

  (func (export "ask_now") (result i32)
    (call $output (call $elicit (call $const_block (i32.const 112) (i32.const 77))))
    (i32.const 0))

  (func (export "approve") (result i32)
    (call $output (call $request_approval (call $input_block)))
    (i32.const 0))
)
