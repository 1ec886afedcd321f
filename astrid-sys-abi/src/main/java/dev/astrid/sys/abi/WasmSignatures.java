package dev.astrid.sys.abi;

/** The wasm types of imports whose parameters are all {@code i64} block handles. */
final class WasmSignatures {
    private WasmSignatures() {}

    /** The type in text form, e.g. {@code (i64, i64) -> ()} or {@code () -> i64}. */
    static String of(int params, boolean returnsBytes) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < params; i++) {
            sb.append(i == 0 ? "i64" : ", i64");
        }
        return sb.append(returnsBytes ? ") -> i64" : ") -> ()").toString();
    }
}
