;; A module that carries the panic-location paths a Rust guest built against the Astrid SDK has in
;; its data: astrid-sdk 0.5.2 over astrid-sys 0.4.0. The host reads its SDK profile from them.
(module
  (memory (export "memory") 1)
  (data (i32.const 1024)
    "/home/dev/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/astrid-sys-0.4.0/src/lib.rs\00"
    "called `Option::unwrap()` on a `None` value\00"
    "/home/dev/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/astrid-sdk-0.5.2/src/fs.rs\00")
  (func (export "hello") (result i32) (i32.const 0))
)
