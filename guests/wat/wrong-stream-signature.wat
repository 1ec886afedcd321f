;; Imports astrid_http_stream_close with a result, which it does not have.
(module
  (import "extism:host/user" "astrid_http_stream_close" (func (param i64) (result i64)))
  (func (export "run") (result i32) (i32.const 0))
)
