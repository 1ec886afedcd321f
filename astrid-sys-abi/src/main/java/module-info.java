/**
 * The raw {@code astrid_sys} ABI: the catalog of the 48 host functions a capsule may import from
 * {@code extism:host/user}, the few extension functions later SDKs import beside them, and one
 * byte-array interface per family of functions.
 *
 * <p>This module has no dependencies. Everything else in the project is built on it.
 */
module dev.astrid.sys.abi {
    exports dev.astrid.sys.abi;
}
