package dev.astrid.sys.abi;

import java.util.List;

/**
 * A function a capsule imports from {@code extism:host/user} whose parameters are all {@code i64}
 * block handles and whose result, if any, is one handle: the 48 of the catalog
 * ({@link AbiFunction}) and the extensions beyond them ({@link ExtensionFunction}).
 */
public interface HostImport {
    /** The import name, e.g. {@code astrid_kv_get}. */
    String symbol();

    /** The parameter names. */
    List<String> params();

    /** Whether the function has one {@code i64} result (a block handle) rather than none. */
    boolean returnsBytes();

    /** Number of {@code i64} parameters on the wasm side. */
    default int paramCount() {
        return params().size();
    }

    /** The wasm type in text form, e.g. {@code (i64, i64) -> ()} or {@code () -> i64}. */
    default String wasmSignature() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < paramCount(); i++) {
            sb.append(i == 0 ? "i64" : ", i64");
        }
        return sb.append(returnsBytes() ? ") -> i64" : ") -> ()").toString();
    }
}
