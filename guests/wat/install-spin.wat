;; A capsule whose install hook never returns: `astrid run` must cut it short by its install
;; timeout or by --for, whichever comes first.
(module
  (func (export "astrid_install") (result i32) (loop $forever (br $forever)) (i32.const 0))
  (func (export "run") (result i32) (i32.const 0))
)
