package dev.astrid.benchmarks;

import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.reference.AstridHost;
import dev.astrid.reference.HostConfig;
import dev.astrid.reference.LoadedCapsule;
import dev.astrid.engine.EngineOptions;
import dev.astrid.host.kv.KvProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The real KV provider (SQLite in WAL mode) under a guest, on the compiler:
 * <ul>
 *   <li>{@code hotGet}: the PDK-style round trip of {@code bench-kv}'s {@code bench} on a key that
 *       is stored (a 32-byte value), i.e. served from the store's read cache;
 *   <li>{@code durableSet}: {@code astrid_kv_set} of a 100-byte value, each one committed before it
 *       returns to the guest ({@code sync=normal}: survives a killed host; {@code full}: also
 *       fsynced).
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class KvStoreBenchmark {
    static final int GETS = 100_000;
    static final int SETS = 200;

    /** The store's {@code kv.sync} setting. */
    @Param({"normal", "full"})
    public String sync;

    private Path dir;
    private AstridHost host;
    private LoadedCapsule capsule;
    private byte[] getInput;
    private byte[] setInput;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = TempDirs.create("astrid-bench-store");
        host = BenchGuest.start(dir, EngineOptions.DEFAULT, new KvProvider(), "kv.sync", sync);
        capsule = host.capsules().get(0);
        byte[] value32 = new byte[32];
        Arrays.fill(value32, (byte) 7);
        call("bench_set", BenchGuest.setInput(1, value32));
        getInput = BenchGuest.input(GETS);
        byte[] value100 = new byte[100];
        Arrays.fill(value100, (byte) 9);
        // Each benchmark method runs in its own trial (a fresh host), so hotGet always reads the
        // 32-byte value stored above; durableSet then overwrites the same key with 100 bytes.
        setInput = BenchGuest.setInput(SETS, value100);
        call("bench", BenchGuest.input(1000));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (host != null) {
            host.close();
        }
        TempDirs.delete(dir);
    }

    /** A stored key read through the guest: the round trip of {@code KvRoundTripBenchmark.full}. */
    @Benchmark
    @OperationsPerInvocation(GETS)
    public byte[] hotGet() {
        return call("bench", getInput);
    }

    /** Durable writes of 100-byte values through the guest. */
    @Benchmark
    @OperationsPerInvocation(SETS)
    public byte[] durableSet() {
        return call("bench_set", setInput);
    }

    private byte[] call(String export, byte[] in) {
        byte[] out = capsule.call(export, in, Invocation.Caller.NONE, Duration.ZERO);
        if (out.length != 0) {
            throw new IllegalStateException(export + " produced output; expected none");
        }
        return out;
    }
}
