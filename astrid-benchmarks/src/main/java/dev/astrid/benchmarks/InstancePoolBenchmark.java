package dev.astrid.benchmarks;

import dev.astrid.engine.CallerThreads;
import dev.astrid.engine.EngineOptions;
import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.reference.AstridHost;
import dev.astrid.reference.HostConfig;
import dev.astrid.reference.LoadedCapsule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * N callers calling one capsule at the same time, with an instance pool of 1 (every call waits for
 * the one instance) or of N (each caller can have an instance of its own).
 *
 * <p>One operation is one plugin call of {@code bench} ({@code guests/wat/bench-kv.wat}) doing
 * {@value #ROUNDS} round trips, about the work of a small tool call. Each invocation makes
 * {@value #CALLS} calls in all, split evenly among the N callers, which are host-made threads
 * ({@link CallerThreads}) started once per trial; the score is calls per second. Every call must
 * succeed (the guest returns non-zero when a lookup answered anything but the 32-byte value).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class InstancePoolBenchmark {
    /** Round trips in each call. */
    static final int ROUNDS = 200;
    /** Calls per invocation, divisible by every caller count. */
    static final int CALLS = 240;

    /** How many threads call the capsule at once. */
    @Param({"1", "2", "4"})
    public int callers;

    /** The capsule's pool: {@code 1}, or {@code callers} (as many instances as callers). */
    @Param({"1", "callers"})
    public String pool;

    private Path dir;
    private AstridHost host;
    private LoadedCapsule capsule;
    private ExecutorService threads;
    private byte[] input;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        int size;
        switch (pool) {
            case "1":
                size = 1;
                break;
            case "callers":
                size = callers;
                break;
            default:
                throw new IllegalArgumentException("pool must be 1 or callers, got " + pool);
        }
        if (CALLS % callers != 0) {
            throw new IllegalArgumentException(CALLS + " calls cannot be split among " + callers + " callers");
        }
        dir = TempDirs.create("astrid-bench-pool");
        Files.createDirectories(dir.resolve("ws"));
        host = AstridHost.start(HostConfig.builder()
                .dataDir(dir.resolve("data"))
                .workspace(dir.resolve("ws"))
                .engine(EngineOptions.DEFAULT)
                .discoverProviders(false)
                .addProvider(new FixedValueKvProvider())
                .instancePool(size)
                .build());
        capsule = host.load(CapsuleManifest.bare(BenchGuest.NAME), BenchGuest.wasm(), Optional.empty());
        threads = Executors.newFixedThreadPool(callers, CallerThreads.factory("pool-caller", EngineOptions.DEFAULT.stackBytes()));
        input = BenchGuest.input(ROUNDS);
        calls();
        if (capsule.instances() > size) {
            throw new IllegalStateException("the pool made " + capsule.instances() + " instances; its bound is " + size);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (threads != null) {
            threads.shutdownNow();
        }
        if (host != null) {
            host.close();
        }
        TempDirs.delete(dir);
    }

    /** {@value #CALLS} calls of {@code bench}, made by {@code callers} threads at once. */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public int calls() throws Exception {
        int each = CALLS / callers;
        List<Future<Integer>> running = new ArrayList<>(callers);
        for (int t = 0; t < callers; t++) {
            running.add(threads.submit(() -> {
                for (int i = 0; i < each; i++) {
                    byte[] out = capsule.call("bench", input, Invocation.Caller.NONE, Duration.ZERO);
                    if (out.length != 0) {
                        throw new IllegalStateException("bench produced output");
                    }
                }
                return each;
            }));
        }
        int done = 0;
        for (Future<Integer> f : running) {
            done += f.get();
        }
        return done;
    }
}
