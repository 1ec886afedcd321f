package dev.astrid.sys.abi;

import java.util.List;
import java.util.Map;

/**
 * Host functions beyond the 48 of {@link AbiFunction} that capsules built with later Extism-era
 * SDKs import from the same namespace ({@value AbiFunction#IMPORT_MODULE}), with the same wasm
 * convention: every parameter an {@code i64} block handle, at most one {@code i64} result.
 *
 * <p>Each belongs to a {@link Family} but has its own interface ({@link #api()}): a family's binding
 * serves an extension only when it implements that interface as well, so a provider written for the
 * 48 keeps working unchanged and its capsules' extension imports trap.
 */
public enum ExtensionFunction implements HostImport {
    /** Sends a request described in JSON and returns a stream handle with the status and headers. */
    HTTP_STREAM_START(Family.HTTP, HttpStreamFunctions.class, "astrid_http_stream_start", "0.2.2", true,
            (HttpStreamFunctions f, byte[][] a) -> f.httpStreamStart(a[0]), "request_bytes"),
    /** The next piece of a streamed response body; empty at its end. */
    HTTP_STREAM_READ(Family.HTTP, HttpStreamFunctions.class, "astrid_http_stream_read", "0.2.2", true,
            (HttpStreamFunctions f, byte[][] a) -> f.httpStreamRead(a[0]), "handle"),
    /** Ends a stream; idempotent. */
    HTTP_STREAM_CLOSE(Family.HTTP, HttpStreamFunctions.class, "astrid_http_stream_close", "0.2.2", false,
            (HttpStreamFunctions f, byte[][] a) -> { f.httpStreamClose(a[0]); return null; }, "handle");

    private static final Map<String, ExtensionFunction> BY_SYMBOL;

    static {
        Map<String, ExtensionFunction> m = new java.util.HashMap<>();
        for (ExtensionFunction fn : values()) {
            m.put(fn.symbol, fn);
        }
        BY_SYMBOL = Map.copyOf(m);
    }

    private final Family family;
    private final Class<?> api;
    private final String symbol;
    private final String sdkSince;
    private final boolean returnsBytes;
    private final FunctionInvoker<?> invoker;
    private final List<String> params;

    ExtensionFunction(Family family, Class<?> api, String symbol, String sdkSince, boolean returnsBytes,
            FunctionInvoker<?> invoker, String... params) {
        this.family = family;
        this.api = api;
        this.symbol = symbol;
        this.sdkSince = sdkSince;
        this.returnsBytes = returnsBytes;
        this.invoker = invoker;
        this.params = List.of(params);
    }

    /** The family whose binding serves this function when it implements {@link #api()}. */
    public Family family() {
        return family;
    }

    /** The interface a family binding implements to serve this function. */
    public Class<?> api() {
        return api;
    }

    /** The import name, e.g. {@code astrid_http_stream_read}. */
    @Override
    public String symbol() {
        return symbol;
    }

    /** The first SDK release whose guests import it, e.g. {@code 0.2.2}. */
    public String sdkSince() {
        return sdkSince;
    }

    /** The parameter names. */
    @Override
    public List<String> params() {
        return params;
    }

    /** Whether the function has one {@code i64} result (a block handle) rather than none. */
    @Override
    public boolean returnsBytes() {
        return returnsBytes;
    }

    /**
     * Calls this function on an implementation of {@link #api()}.
     *
     * @throws ClassCastException if {@code target} does not implement {@link #api()}
     * @throws IllegalArgumentException if the argument count is wrong
     */
    @SuppressWarnings("unchecked")
    public byte[] invoke(Object target, byte[][] args) {
        if (args.length != params.size()) {
            throw new IllegalArgumentException(symbol + " takes " + params.size() + " arguments, got " + args.length);
        }
        return ((FunctionInvoker<Object>) invoker).invoke(api.cast(target), args);
    }

    /** The extension with an import name, or {@code null} when the name is not one. */
    public static ExtensionFunction bySymbol(String symbol) {
        return BY_SYMBOL.get(symbol);
    }
}
