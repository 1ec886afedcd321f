;; A hostile reactor whose _initialize never returns: loading it must time out, not hang the host.
(module
  (func (export "_initialize") (loop $forever (br $forever)))
  (func (export "run") (result i32) (i32.const 0))
)
