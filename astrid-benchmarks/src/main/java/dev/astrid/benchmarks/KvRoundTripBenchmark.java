package dev.astrid.benchmarks;

import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.reference.AstridHost;
import dev.astrid.reference.HostConfig;
import dev.astrid.reference.LoadedCapsule;
import dev.astrid.engine.EngineOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * One host-call round trip through the reference host, on the interpreter and on the compiler.
 *
 * <p>The guest ({@code guests/wat/bench-kv.wat}) runs the round trips in a loop inside one plugin
 * call, so the score is round trips per second:
 * <ul>
 *   <li>{@code full}: what a PDK guest does for {@code kv_get(key) -> Vec<u8>}: alloc a 16-byte
 *       block, 2 {@code store_u64} of the key, {@code astrid_kv_get}, {@code length} of the
 *       result, 4 {@code load_u64} of the 32-byte value, free both blocks (11 host calls);
 *   <li>{@code raw}: {@code astrid_kv_get} on a key block made once, {@code length}, free of the
 *       result (3 host calls, no copying by the guest);
 *   <li>{@code emptyCall}: one plugin call doing no round trip, i.e. the fixed cost of a call that
 *       {@code full} and {@code raw} spread over {@value #ROUNDS} round trips.
 * </ul>
 * On the host side every {@code astrid_kv_get} reads the key block, calls the KV family (a
 * {@link FixedValueKv}) and copies the 32-byte value into a new block.
 *
 * <p>JMH's worker threads come from {@link CallerThreadExecutor}, as a host's own threads would, so
 * each plugin call runs on the benchmark's thread; {@code -jvmArgsAppend -Djmh.executor=PLATFORM}
 * measures calls handed over from ordinary threads instead.
 *
 * <p>JMH's {@code @OperationsPerInvocation} is a compile-time constant, so both engines run
 * {@value #ROUNDS} round trips per call; on the interpreter one call takes about 0.15 s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// The workers are host-made threads (see CallerThreadExecutor), on which calls run directly.
@Fork(value = 1, jvmArgsAppend = {"-Djmh.executor=CUSTOM", "-Djmh.executor.class=dev.astrid.benchmarks.CallerThreadExecutor"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class KvRoundTripBenchmark {
    /** Round trips per plugin call. */
    static final int ROUNDS = 100_000;

    /** {@code compiler} (Chicory's runtime compiler to JVM bytecode) or {@code interpreter}. */
    @Param({"compiler", "interpreter"})
    public String engine;

    private Path dir;
    private AstridHost host;
    private LoadedCapsule capsule;
    private FixedValueKv kv;
    private byte[] input;
    private byte[] noRounds;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        boolean interpreter;
        switch (engine) {
            case "compiler":
                interpreter = false;
                break;
            case "interpreter":
                interpreter = true;
                break;
            default:
                throw new IllegalArgumentException("engine must be compiler or interpreter, got " + engine);
        }
        dir = TempDirs.create("astrid-bench-kv");
        FixedValueKvProvider provider = new FixedValueKvProvider();
        host = BenchGuest.start(dir, EngineOptions.DEFAULT.withInterpreter(interpreter), provider);
        capsule = host.capsules().get(0);
        kv = provider.lastBound();
        input = BenchGuest.input(ROUNDS);
        noRounds = BenchGuest.input(0);
        // A wrong setup must fail here, not produce a fast figure.
        call("bench", BenchGuest.input(1000), 1000);
        call("bench_raw", BenchGuest.input(1000), 1000);
        call("bench", noRounds, 0);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (host != null) {
            host.close();
        }
        TempDirs.delete(dir);
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

    /** A plugin call that makes no round trip: the per-call cost the other two amortise. */
    @Benchmark
    public byte[] emptyCall() {
        return call("bench", noRounds, 0);
    }

    /**
     * Calls an export and checks that it succeeded, set no output and made exactly the expected
     * number of lookups. A non-zero return code (a value that was not 32 bytes) already throws.
     */
    private byte[] call(String export, byte[] in, long rounds) {
        long before = kv.gets();
        byte[] out = capsule.call(export, in, Invocation.Caller.NONE, Duration.ZERO);
        if (out.length != 0) {
            throw new IllegalStateException(export + " produced " + out.length + " bytes of output; expected none");
        }
        long made = kv.gets() - before;
        if (made != rounds) {
            throw new IllegalStateException(export + " made " + made + " lookups; expected " + rounds);
        }
        return out;
    }
}
