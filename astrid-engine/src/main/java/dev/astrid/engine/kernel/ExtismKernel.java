package dev.astrid.engine.kernel;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import com.google.gson.Gson;
import dev.astrid.engine.KernelLimits;
import dev.astrid.engine.KernelLog;
import dev.astrid.host.spi.GuestText;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.spi.http.HostRule;
import dev.astrid.host.spi.http.HttpPolicy;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The Extism kernel ({@code extism:host/env}) written in Java: kernel memory, call input and
 * output, the error slot, config, vars, logging and HTTP, for one plugin instance.
 *
 * <p>Before every call the host runs {@link #beginCall(byte[])}, which frees every block and
 * stores the input; afterwards it reads {@link #error()} and {@link #output()}. Vars survive
 * between calls; everything in kernel memory does not.
 */
public final class ExtismKernel {
    /** The import module of the kernel functions. */
    public static final String MODULE = "extism:host/env";

    private static final long MAX_CONFIG_KEY = 4096;
    private static final long MAX_LOG_MESSAGE = 1024 * 1024;
    private static final long MAX_ERROR_MESSAGE = 1024 * 1024;

    private final BlockStore mem;
    private final Map<String, String> config;
    private final KernelLog log;
    private final ExtismHttp http;
    private final long maxVarBytes;
    private final Map<String, byte[]> vars = new HashMap<>();
    private long varBytes;

    /**
     * The result array of every single-value import. Chicory copies a host function's result out
     * before the guest runs again, and an instance runs one call at a time on one thread, so one
     * array per kernel saves an allocation on every kernel call.
     */
    private final long[] result = new long[1];

    private long inputHandle;
    private OptionalLong deadlineNanos = OptionalLong.empty();
    private long inputLength;
    private long outputHandle;
    private long outputLength;
    private long errorHandle;

    /**
     * A kernel.
     *
     * @param limits memory caps
     * @param config the Extism config map {@code config_get} reads
     * @param allowedHosts host globs {@code http_request} may reach; empty denies HTTP
     * @param httpSettings the host settings {@code http_request} reads ({@code http.allow-private-addresses},
     *     {@code http.connect-timeout-ms}, {@code http.timeout-ms})
     * @param log where {@code log_*} goes
     * @throws HostException naming a malformed HTTP setting
     */
    public ExtismKernel(KernelLimits limits, Map<String, String> config, List<String> allowedHosts,
            ProviderSettings httpSettings, KernelLog log) {
        this.mem = new BlockStore(limits.maxKernelBytes());
        this.config = Map.copyOf(config);
        this.log = log;
        this.maxVarBytes = limits.maxVarBytes();
        // Request and response bodies live in kernel memory, so its cap is theirs.
        this.http = new ExtismHttp(allowedHosts, HttpPolicy.of(HostRule.globs(allowedHosts), httpSettings)
                .withBodyLimits(limits.maxKernelBytes(), limits.maxKernelBytes()));
    }

    /** The kernel memory, for host functions that read arguments and write results. */
    public BlockStore memory() {
        return mem;
    }

    /** Frees all kernel memory, clears input, output and error, and stores a new input; no deadline. */
    public void beginCall(byte[] input) {
        beginCall(input, OptionalLong.empty());
    }

    /**
     * Frees all kernel memory, clears input, output and error, and stores a new input.
     *
     * @param deadlineNanos when the call times out ({@link System#nanoTime()} scale), if it does;
     *     {@code http_request} waits no longer
     */
    public void beginCall(byte[] input, OptionalLong deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
        mem.reset();
        outputHandle = 0;
        outputLength = 0;
        errorHandle = 0;
        inputHandle = mem.allocBytes(input, "call input");
        inputLength = input.length;
    }

    /**
     * Frees all kernel memory and forgets input, output and error; vars stay. The host does this
     * once a call's output and error have been read; the guest's {@code reset} import does the same.
     */
    public void endCall() {
        mem.reset();
        inputHandle = 0;
        inputLength = 0;
        outputHandle = 0;
        outputLength = 0;
        errorHandle = 0;
    }

    /**
     * The error message the guest set during the call, or null.
     *
     * @throws KernelTrap when the error block was freed after {@code error_set}: the guest meant to
     *     fail, so its call must not pass for a success
     */
    public String error() {
        if (errorHandle == 0) {
            return null;
        }
        if (!mem.isLive(errorHandle)) {
            throw new KernelTrap("error_set: the error block 0x" + Long.toHexString(errorHandle)
                    + " was freed before the call returned");
        }
        byte[] b = mem.read(errorHandle, MAX_ERROR_MESSAGE, "error_set");
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The output the guest set during the call; empty when none. */
    public byte[] output() {
        if (outputHandle == 0 || outputLength == 0) {
            return new byte[0];
        }
        // output_set checked the span; the block may have been freed or reused since.
        checkSpan("output_set", outputHandle, outputLength);
        byte[] all = mem.read(outputHandle, Long.MAX_VALUE, "output_set");
        return outputLength == all.length ? all : java.util.Arrays.copyOf(all, (int) outputLength);
    }

    private Optional<Duration> remaining() {
        return deadlineNanos.isEmpty() ? Optional.empty()
                : Optional.of(Duration.ofNanos(Math.max(0, deadlineNanos.getAsLong() - System.nanoTime())));
    }

    /** The names this kernel provides, for link-time checks. */
    public static Set<String> functionNames() {
        return NAMES;
    }

    private static final Set<String> NAMES = Set.of("alloc", "free", "length", "length_unsafe", "load_u8",
            "load_u64", "store_u8", "store_u64", "input_length", "input_offset", "input_load_u8", "input_load_u64",
            "output_set", "error_set", "error_get", "input_set", "output_length", "output_offset", "reset",
            "memory_bytes", "config_get", "var_get", "var_set", "http_request", "http_status_code", "http_headers",
            "log_trace", "log_debug", "log_info", "log_warn", "log_error", "get_log_level");

    /** The kernel's imports, ready to link. */
    public List<HostFunction> hostFunctions() {
        List<HostFunction> fns = new ArrayList<>();
        ValType i64 = ValType.I64;
        ValType i32 = ValType.I32;
        fns.add(fn("alloc", List.of(i64), List.of(i64), (inst, a) -> one(mem.alloc(a[0]))));
        fns.add(fn("free", List.of(i64), List.of(), (inst, a) -> {
            if (a[0] != 0 && a[0] == inputHandle) {
                inputLength = 0;
            }
            mem.free(a[0]);
            return null;
        }));
        fns.add(fn("length", List.of(i64), List.of(i64), (inst, a) -> one(mem.length(a[0]))));
        fns.add(fn("length_unsafe", List.of(i64), List.of(i64), (inst, a) -> one(mem.length(a[0]))));
        fns.add(fn("load_u8", List.of(i64), List.of(i32), (inst, a) -> one(mem.loadU8(a[0]))));
        fns.add(fn("load_u64", List.of(i64), List.of(i64), (inst, a) -> one(mem.loadU64(a[0]))));
        fns.add(fn("store_u8", List.of(i64, i32), List.of(), (inst, a) -> {
            mem.storeU8(a[0], (int) a[1]);
            return null;
        }));
        fns.add(fn("store_u64", List.of(i64, i64), List.of(), (inst, a) -> {
            mem.storeU64(a[0], a[1]);
            return null;
        }));
        fns.add(fn("input_length", List.of(), List.of(i64), (inst, a) -> one(inputLength)));
        fns.add(fn("input_offset", List.of(), List.of(i64), (inst, a) -> one(inputHandle)));
        fns.add(fn("input_load_u8", List.of(i64), List.of(i32),
                (inst, a) -> one(mem.loadU8Relative(inputHandle, a[0], "input_load_u8"))));
        fns.add(fn("input_load_u64", List.of(i64), List.of(i64),
                (inst, a) -> one(mem.loadU64Relative(inputHandle, a[0], "input_load_u64"))));
        fns.add(fn("output_set", List.of(i64, i64), List.of(), (inst, a) -> {
            checkSpan("output_set", a[0], a[1]);
            outputHandle = a[0];
            outputLength = a[1];
            return null;
        }));
        fns.add(fn("error_set", List.of(i64), List.of(), (inst, a) -> {
            // 0 clears the error; anything else must be the start of a live block, or a guest that
            // failed with a bogus handle would pass for a success.
            if (a[0] != 0 && !mem.isLive(a[0])) {
                throw new KernelTrap("error_set: handle 0x" + Long.toHexString(a[0]) + " is not the start of a live block");
            }
            errorHandle = a[0];
            return null;
        }));
        fns.add(fn("error_get", List.of(), List.of(i64), (inst, a) -> one(errorHandle)));
        fns.add(fn("input_set", List.of(i64, i64), List.of(), (inst, a) -> {
            checkSpan("input_set", a[0], a[1]);
            inputHandle = a[0];
            inputLength = a[1];
            return null;
        }));
        fns.add(fn("output_length", List.of(), List.of(i64), (inst, a) -> one(outputLength)));
        fns.add(fn("output_offset", List.of(), List.of(i64), (inst, a) -> one(outputHandle)));
        fns.add(fn("reset", List.of(), List.of(), (inst, a) -> {
            endCall();
            return null;
        }));
        fns.add(fn("memory_bytes", List.of(), List.of(i64), (inst, a) -> one(mem.maxBytes())));
        fns.add(fn("config_get", List.of(i64), List.of(i64), (inst, a) -> {
            String key = text(mem.read(a[0], MAX_CONFIG_KEY, "config_get"));
            mem.free(a[0]);
            String v = config.get(key);
            return one(v == null ? 0 : mem.allocBytes(v.getBytes(StandardCharsets.UTF_8), "config_get"));
        }));
        fns.add(fn("var_get", List.of(i64), List.of(i64), (inst, a) -> {
            String key = text(mem.read(a[0], MAX_CONFIG_KEY, "var_get"));
            mem.free(a[0]);
            byte[] v = vars.get(key);
            return one(v == null ? 0 : mem.allocBytes(v, "var_get"));
        }));
        fns.add(fn("var_set", List.of(i64, i64), List.of(), (inst, a) -> {
            varSet(a[0], a[1]);
            return null;
        }));
        fns.add(fn("http_request", List.of(i64, i64), List.of(i64), (inst, a) -> {
            byte[] req = mem.read(a[0], mem.maxBytes(), "http_request");
            byte[] body = mem.read(a[1], mem.maxBytes(), "http_request");
            mem.free(a[0]);
            mem.free(a[1]);
            return one(mem.allocBytes(http.send(req, body, remaining()), "http_request"));
        }));
        fns.add(fn("http_status_code", List.of(), List.of(i32), (inst, a) -> one(http.lastStatus())));
        fns.add(fn("http_headers", List.of(), List.of(i64), (inst, a) -> one(http.lastHeaders().isEmpty() ? 0
                    : mem.allocBytes(new Gson().toJson(http.lastHeaders()).getBytes(StandardCharsets.UTF_8), "http_headers"))));
        String[] levels = {"log_trace", "log_debug", "log_info", "log_warn", "log_error"};
        for (int i = 0; i < levels.length; i++) {
            int level = i;
            String name = levels[i];
            fns.add(fn(name, List.of(i64), List.of(), (inst, a) -> {
                if (level >= log.level()) {
                    log.log(level, text(mem.read(a[0], MAX_LOG_MESSAGE, name)));
                }
                mem.free(a[0]);
                return null;
            }));
        }
        fns.add(fn("get_log_level", List.of(), List.of(i32), (inst, a) -> one(log.level())));
        return fns;
    }

    /** The shared result array holding one value (see {@link #result}). */
    private long[] one(long value) {
        result[0] = value;
        return result;
    }

    /** The shared result array, for host functions linked next to this kernel in the same instance. */
    public long[] result(long value) {
        return one(value);
    }

    /**
     * Checks a (handle, length) pair a guest names as its output or input: the length is not
     * negative and fits in the live block the handle starts; handle 0 goes only with length 0.
     */
    private void checkSpan(String op, long handle, long length) {
        if (length < 0) {
            throw new KernelTrap(op + ": length " + length + " is negative");
        }
        if (handle == 0 && length == 0) {
            return;
        }
        if (!mem.isLive(handle)) {
            throw new KernelTrap(op + ": handle 0x" + Long.toHexString(handle) + " is not the start of a live block");
        }
        long blockLen = mem.length(handle);
        if (length > blockLen) {
            throw new KernelTrap(op + ": length " + length + " exceeds its block of " + blockLen + " bytes");
        }
    }

    private void varSet(long keyHandle, long valueHandle) {
        String key = text(mem.read(keyHandle, MAX_CONFIG_KEY, "var_set"));
        byte[] value = valueHandle == 0 ? null : mem.read(valueHandle, maxVarBytes, "var_set");
        mem.free(keyHandle);
        mem.free(valueHandle);
        byte[] old = vars.get(key);
        // Keys are counted in UTF-8 bytes, as the guest sent them (a char count undercounts non-ASCII keys).
        long keyBytes = GuestText.encodedLength(key);
        long after = varBytes - (old == null ? 0 : keyBytes + old.length) + (value == null ? 0 : keyBytes + value.length);
        if (after > maxVarBytes) {
            throw new KernelTrap("var_set: vars would hold " + after + " bytes, over the limit of " + maxVarBytes);
        }
        if (value == null) {
            vars.remove(key);
        } else {
            vars.put(key, value);
        }
        varBytes = after;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static HostFunction fn(String name, List<ValType> params, List<ValType> results, WasmFunctionHandle h) {
        return new HostFunction(MODULE, name, FunctionType.of(params, results), h);
    }
}
