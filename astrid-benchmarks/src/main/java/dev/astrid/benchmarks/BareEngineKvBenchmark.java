package dev.astrid.benchmarks;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The yardstick of {@link KvRoundTripBenchmark}: the same guest ({@code bench-kv.wasm}), the same
 * N and the same checks, on plain Chicory 1.7.5 (runtime compiler) with nothing of Astrid around
 * it. The Extism kernel is a minimal one written here: blocks in one {@code byte[]} arena, each
 * import a direct {@link HostFunction}, and {@code astrid_kv_get} a direct lookup in a
 * {@link FixedValueKv}. A round trip is therefore only engine import, block read, lookup, block
 * write, and the export is called on the benchmark's own thread (no hand-off to another thread).
 *
 * <p>What it leaves out, and the host must do: per-block liveness (a handle here is only checked
 * to lie inside the arena), caps on kernel memory, traps named after the function, timeouts,
 * unload, and restoring globals after a failed call.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class BareEngineKvBenchmark {
    private static final String ENV = "extism:host/env";
    private static final String USER = "extism:host/user";

    private BareKernel kernel;
    private FixedValueKv kv;
    private ExportFunction bench;
    private byte[] input;
    private byte[] noRounds;

    @Setup(Level.Trial)
    public void setUp() {
        WasmModule module = Parser.parse(BenchGuest.wasm());
        kv = new FixedValueKv();
        kernel = new BareKernel(kv);
        Instance instance = Instance.builder(module)
                .withImportValues(ImportValues.builder().withFunctions(new java.util.ArrayList<ImportFunction>(kernel.functions())).build())
                .withMachineFactory(MachineFactoryCompiler.compile(module))
                .build();
        bench = instance.export("bench");
        input = BenchGuest.input(KvRoundTripBenchmark.ROUNDS);
        noRounds = BenchGuest.input(0);
        // A wrong setup must fail here, not produce a fast figure.
        call(BenchGuest.input(1000), 1000);
        call(noRounds, 0);
    }

    /** The PDK-style round trip of {@link KvRoundTripBenchmark#full()}: 11 host calls. */
    @Benchmark
    @OperationsPerInvocation(KvRoundTripBenchmark.ROUNDS)
    public long full() {
        return call(input, KvRoundTripBenchmark.ROUNDS);
    }

    /** A plugin call that makes no round trip, as {@link KvRoundTripBenchmark#emptyCall()}. */
    @Benchmark
    public long emptyCall() {
        return call(noRounds, 0);
    }

    /** Calls {@code bench} on this thread and checks its return code and the number of lookups. */
    private long call(byte[] in, long rounds) {
        long before = kv.gets();
        kernel.begin(in);
        long rc = bench.apply()[0];
        if (rc != 0) {
            throw new IllegalStateException("bench returned " + rc);
        }
        long made = kv.gets() - before;
        if (made != rounds) {
            throw new IllegalStateException("bench made " + made + " lookups; expected " + rounds);
        }
        return rc;
    }

    /**
     * A minimal Extism kernel: blocks live in one arena, each with an 8-byte length header; a
     * handle is the offset of a block's first byte. Blocks are freed stack-wise (the top one goes
     * back at once, and the arena empties when no block is live), which is all the guest needs.
     */
    static final class BareKernel {
        private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
        private static final int BASE = 8;

        private final FixedValueKv kv;
        private final byte[] arena = new byte[1 << 16];
        private final long[] result = new long[1];
        private int top = BASE;
        private int live;
        private byte[] input = new byte[0];

        BareKernel(FixedValueKv kv) {
            this.kv = kv;
        }

        void begin(byte[] in) {
            input = in;
            top = BASE;
            live = 0;
        }

        private long[] one(long v) {
            result[0] = v;
            return result;
        }

        long alloc(long size) {
            int start = top + 8;
            if (size <= 0 || size > arena.length - start) {
                return 0;
            }
            LONG_LE.set(arena, top, size);
            top = start + (int) size;
            live++;
            return start;
        }

        int length(long handle) {
            check(handle - 8, 8);
            return (int) (long) LONG_LE.get(arena, (int) handle - 8);
        }

        void free(long handle) {
            if (handle == 0) {
                return;
            }
            int len = length(handle);
            if (handle + len == top) {
                top = (int) handle - 8;
            }
            if (--live == 0) {
                top = BASE;
            }
        }

        private void check(long addr, int width) {
            if (addr < BASE || addr > top - width) {
                throw new IllegalStateException("address " + addr + " is outside the arena");
            }
        }

        long loadU64(long addr) {
            check(addr, 8);
            return (long) LONG_LE.get(arena, (int) addr);
        }

        void storeU64(long addr, long v) {
            check(addr, 8);
            LONG_LE.set(arena, (int) addr, v);
        }

        long kvGet(long keyHandle) {
            int len = length(keyHandle);
            byte[] key = new byte[len];
            System.arraycopy(arena, (int) keyHandle, key, 0, len);
            byte[] value = kv.kvGet(key);
            long h = alloc(value.length);
            System.arraycopy(value, 0, arena, (int) h, value.length);
            return h;
        }

        List<HostFunction> functions() {
            ValType i64 = ValType.I64;
            ValType i32 = ValType.I32;
            return List.of(
                    fn(ENV, "alloc", List.of(i64), List.of(i64), (inst, a) -> one(alloc(a[0]))),
                    fn(ENV, "free", List.of(i64), List.of(), (inst, a) -> {
                        free(a[0]);
                        return null;
                    }),
                    fn(ENV, "length", List.of(i64), List.of(i64), (inst, a) -> one(length(a[0]))),
                    fn(ENV, "load_u64", List.of(i64), List.of(i64), (inst, a) -> one(loadU64(a[0]))),
                    fn(ENV, "store_u64", List.of(i64, i64), List.of(), (inst, a) -> {
                        storeU64(a[0], a[1]);
                        return null;
                    }),
                    fn(ENV, "input_length", List.of(), List.of(i64), (inst, a) -> one(input.length)),
                    fn(ENV, "input_load_u64", List.of(i64), List.of(i64),
                            (inst, a) -> one((long) LONG_LE.get(input, (int) a[0]))),
                    fn(ENV, "input_load_u8", List.of(i64), List.of(i32), (inst, a) -> one(input[(int) a[0]] & 0xff)),
                    fn(ENV, "store_u8", List.of(i64, i32), List.of(), (inst, a) -> {
                        check(a[0], 1);
                        arena[(int) a[0]] = (byte) a[1];
                        return null;
                    }),
                    fn(USER, "astrid_kv_get", List.of(i64), List.of(i64), (inst, a) -> one(kvGet(a[0]))),
                    fn(USER, "astrid_kv_set", List.of(i64, i64), List.of(), (inst, a) -> {
                        throw new IllegalStateException("astrid_kv_set: read-only benchmark store");
                    }));
        }

        private static HostFunction fn(String module, String name, List<ValType> params, List<ValType> results,
                WasmFunctionHandle h) {
            return new HostFunction(module, name, FunctionType.of(params, results), h);
        }
    }
}
