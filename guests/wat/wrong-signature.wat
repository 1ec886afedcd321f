;; Imports astrid_kv_get with 32-bit types, which the ABI does not declare.
(module
  (import "extism:host/user" "astrid_kv_get" (func (param i32) (result i32)))
  (func (export "run") (result i32) (i32.const 0))
)
