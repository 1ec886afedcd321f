;; Imports things no Astrid host provides, to check that the load lists every one of them.
(module
  (import "env" "foo" (func (param i32)))
  (import "extism:host/user" "astrid_does_not_exist" (func (param i64) (result i64)))
  (import "extism:host/env" "alloc" (func (param i64) (result i64)))
  (import "extism:host/env" "not_a_kernel_function" (func))
  (func (export "run") (result i32) (i32.const 0))
)
