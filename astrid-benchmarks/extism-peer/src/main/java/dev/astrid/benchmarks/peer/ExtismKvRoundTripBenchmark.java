package dev.astrid.benchmarks.peer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.extism.sdk.chicory.ExtismHostFunction;
import org.extism.sdk.chicory.ExtismValType;
import org.extism.sdk.chicory.Manifest;
import org.extism.sdk.chicory.ManifestWasm;
import org.extism.sdk.chicory.Plugin;
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
 * The round trips of the host's {@code KvRoundTripBenchmark} on Extism's own Java SDK
 * ({@code org.extism.sdk:chicory-sdk-core} 0.3.0 on Chicory 1.4.0, with {@code withAoT()}): the
 * same guest ({@code guests/wasm/bench-kv.wasm}), the same N, the same host work and the same
 * checks, in a JVM of its own.
 *
 * <p>{@code astrid_kv_get} (namespace {@code extism:host/user}) reads the key block, looks it up in
 * a {@link FixedValueStore} (every key maps to the same 32 bytes, as the host's
 * {@code FixedValueKv}) and writes the value into a new block, as {@code AbiImports} does. The
 * guest's {@code astrid_kv_set} import must be linked too; like the host's benchmark store it
 * refuses.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class ExtismKvRoundTripBenchmark {
    /** Round trips per plugin call: the host benchmark's N. */
    static final int ROUNDS = 100_000;
    /** The key every round trip looks up (16 bytes), the host benchmark's key. */
    static final byte[] KEY = "bench/key/000001".getBytes(StandardCharsets.US_ASCII);
    private static final String USER = "extism:host/user";

    private FixedValueStore kv;
    private Plugin plugin;
    private byte[] input;
    private byte[] noRounds;

    /** Builds the plugin with AoT and checks one call of each kind before anything is measured. */
    @Setup(Level.Trial)
    public void setUp() {
        kv = new FixedValueStore();
        FixedValueStore store = kv;
        ExtismHostFunction get = ExtismHostFunction.of(USER, "astrid_kv_get", (current, params, results) -> {
            byte[] key = current.memory().readBytes(params.getLong(0));
            results.setLong(0, current.memory().writeBytes(store.get(key)));
        }, List.of(ExtismValType.I64), List.of(ExtismValType.I64));
        ExtismHostFunction set = ExtismHostFunction.of(USER, "astrid_kv_set", (current, params, results) -> {
            throw new IllegalStateException("astrid_kv_set: read-only benchmark store");
        }, List.of(ExtismValType.I64, ExtismValType.I64), List.of());
        Manifest manifest = Manifest.ofWasms(ManifestWasm.fromBytes(wasm()).build())
                .withOptions(new Manifest.Options().withAoT())
                .build();
        plugin = Plugin.ofManifest(manifest).withHostFunctions(get, set).build();
        input = input(ROUNDS);
        noRounds = input(0);
        // A wrong setup must fail here, not produce a fast figure.
        call("bench", input(1000), 1000);
        call("bench_raw", input(1000), 1000);
        call("bench", noRounds, 0);
    }

    /** The PDK-style round trip: 11 host calls, key and value copied through guest memory. */
    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public byte[] full() {
        return call("bench", input, ROUNDS);
    }

    /** The bare round trip: {@code astrid_kv_get}, {@code length} and {@code free} only. */
    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public byte[] raw() {
        return call("bench_raw", input, ROUNDS);
    }

    /** A plugin call that makes no round trip (N = 0). */
    @Benchmark
    public byte[] emptyCall() {
        return call("bench", noRounds, 0);
    }

    /**
     * Calls an export and checks what the host benchmark checks: it succeeded (the SDK throws on
     * a non-zero return code), set no output and made exactly the expected number of lookups.
     */
    private byte[] call(String export, byte[] in, long rounds) {
        long before = kv.gets();
        byte[] out = plugin.call(export, in);
        if (out != null && out.length != 0) {
            throw new IllegalStateException(export + " produced " + out.length + " bytes of output; expected none");
        }
        long made = kv.gets() - before;
        if (made != rounds) {
            throw new IllegalStateException(export + " made " + made + " lookups; expected " + rounds);
        }
        return out;
    }

    /** The guest's input: N as 8 little-endian bytes, then the key. */
    static byte[] input(long rounds) {
        return ByteBuffer.allocate(8 + KEY.length).order(ByteOrder.LITTLE_ENDIAN).putLong(rounds).put(KEY).array();
    }

    private static byte[] wasm() {
        String resource = "/guests/bench-kv.wasm";
        try (InputStream in = ExtismKvRoundTripBenchmark.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path; run guests/build.sh");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
