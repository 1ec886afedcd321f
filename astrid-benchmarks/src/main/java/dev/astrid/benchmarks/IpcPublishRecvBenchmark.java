package dev.astrid.benchmarks;

import dev.astrid.host.ipc.IpcProvider;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.host.tck.TestCapsule;
import dev.astrid.sys.abi.IpcFunctions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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
import org.openjdk.jmh.infra.Control;

/**
 * Publish and receive of small messages between two capsules on one host's event bus.
 *
 * <p>Both capsules are bindings of the built-in {@link IpcProvider} (the objects behind
 * {@code astrid_ipc_*}), called with the byte arrays a guest would pass, so every check of the
 * contract runs: capability ACLs, the publish rate limit, JSON validation and mapping, routing,
 * the bounded queue and the envelope encoding. Capsule A may publish on {@value #TOPIC}, capsule B
 * subscribes to it. The guest boundary itself is not part of this figure
 * ({@link KvRoundTripBenchmark} measures that).
 *
 * <ul>
 *   <li>{@code publishThenDrain}: on one thread, A publishes {@value #BATCH} messages, then B takes
 *       them all with one {@code ipcPoll} or one {@code ipcRecv}; the score is messages per second.
 *   <li>{@code crossThread}: A publishes on one thread while B waits in {@code ipcRecv} on another.
 *       The bus never makes a publisher wait (a full queue drops its oldest message), so the
 *       benchmark itself keeps A at most {@value #WINDOW} messages ahead of B, and B fails the run
 *       if anything was lost. The figures are {@code crossThread:publish} (messages A published per second)
 *       and {@code crossThread:delivered} (messages B received per second); the group's total
 *       also counts B's recv calls and means nothing.
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
// Publishing parses JSON with Gson, whose code takes longer than 6 s to settle in the JIT.
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class IpcPublishRecvBenchmark {
    static final String TOPIC = "bench.ping";
    /** Messages per publish-then-drain batch; below the default queue capacity of 1024, so none is lost. */
    static final int BATCH = 256;
    /** How far A may run ahead of B in {@code crossThread}; half the default queue capacity. */
    static final int WINDOW = 512;

    /** Two capsules on one bus: A may publish on {@value #TOPIC}, B is subscribed to it. */
    static final class TwoCapsules {
        final byte[] topic = TOPIC.getBytes(StandardCharsets.UTF_8);
        /**
         * The smallest JSON object; the bus wraps it as {"type":"custom","data":{}}. Kept this small
         * because the contract caps what one capsule publishes at 10 MiB per second: at 2 bytes that
         * allows 5 million messages per second, far above what the bus does, so the limiter is
         * checked on every publish but never trips (a 7-byte payload would trip it at 1.5 million).
         */
        final byte[] payload = "{}".getBytes(StandardCharsets.UTF_8);
        final Path dir;
        final IpcProvider provider;
        final IpcFunctions publisher;
        final IpcFunctions subscriber;
        final byte[] handle;

        TwoCapsules() {
            dir = TempDirs.create("astrid-bench-ipc");
            provider = new IpcProvider();
            // The compatibility kit's capsule context: real directories, no engine.
            TestCapsule.Host capsules = new TestCapsule.Host(dir);
            publisher = provider.bind(capsules.capsule("bench-publisher")
                    .capabilities(Capabilities.builder().ipcPublish(TOPIC).build()).build());
            subscriber = provider.bind(capsules.capsule("bench-subscriber")
                    .capabilities(Capabilities.builder().ipcSubscribe(TOPIC).build()).build());
            handle = subscriber.ipcSubscribe(topic);
        }

        /**
         * Publishes one batch and takes it with {@code take}, checking it completely (message count
         * by a full scan); returns the seq of its last message.
         */
        long checkedBatch(Supplier<byte[]> take) {
            for (int i = 0; i < BATCH; i++) {
                publisher.ipcPublish(topic, payload);
            }
            byte[] env = take.get();
            int n = Envelopes.count(env);
            if (n != BATCH || Envelopes.lagged(env) != 0 || Envelopes.dropped(env) != 0) {
                throw new IllegalStateException("expected " + BATCH + " messages, got " + n + ": " + Envelopes.text(env));
            }
            return Envelopes.lastSeq(env);
        }

        void close() throws Exception {
            ((AutoCloseable) subscriber).close();
            ((AutoCloseable) publisher).close();
            provider.close();
            TempDirs.delete(dir);
        }
    }

    /** The bus of {@code publishThenDrain}. */
    @State(Scope.Benchmark)
    public static class Batched {
        /** How B takes the batch: {@code astrid_ipc_poll}, or {@code astrid_ipc_recv} with a 1 s timeout. */
        @Param({"poll", "recv"})
        public String drain;

        private final byte[] timeoutMs = "1000".getBytes(StandardCharsets.US_ASCII);
        TwoCapsules bus;
        boolean poll;
        /** The seq of the last message received. */
        long lastSeq;

        @Setup(Level.Trial)
        public void setUp() {
            switch (drain) {
                case "poll":
                    poll = true;
                    break;
                case "recv":
                    poll = false;
                    break;
                default:
                    throw new IllegalArgumentException("drain must be poll or recv, got " + drain);
            }
            bus = new TwoCapsules();
            lastSeq = bus.checkedBatch(this::take);
        }

        byte[] take() {
            return poll ? bus.subscriber.ipcPoll(bus.handle) : bus.subscriber.ipcRecv(bus.handle, timeoutMs);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            if (bus != null) {
                bus.close();
            }
        }
    }

    /**
     * A publishes {@value #BATCH} messages, B takes them with one call. Checked on every batch:
     * none lagged or dropped, and the newest seq is the one published last (the bus numbers
     * messages consecutively and A is its only publisher).
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public byte[] publishThenDrain(Batched b) {
        TwoCapsules bus = b.bus;
        for (int i = 0; i < BATCH; i++) {
            bus.publisher.ipcPublish(bus.topic, bus.payload);
        }
        byte[] env = b.take();
        long seq = Envelopes.lastSeq(env);
        if (seq != b.lastSeq + BATCH || Envelopes.lagged(env) != 0 || Envelopes.dropped(env) != 0) {
            throw new IllegalStateException("batch after seq " + b.lastSeq + " incomplete: " + Envelopes.text(env));
        }
        b.lastSeq = seq;
        return env;
    }

    /** The bus of {@code crossThread}, shared by its two threads. */
    @State(Scope.Group)
    public static class Shared {
        /** B waits at most this long, so that it notices the end of an iteration soon. */
        final byte[] timeoutMs = "100".getBytes(StandardCharsets.US_ASCII);
        TwoCapsules bus;
        /** The seq of the last message A published; written by A only. */
        long published;
        /** The seq of the last message B received; A reads it for flow control. */
        final AtomicLong received = new AtomicLong();

        @Setup(Level.Trial)
        public void setUp() {
            bus = new TwoCapsules();
            published = bus.checkedBatch(() -> bus.subscriber.ipcPoll(bus.handle));
            received.set(published);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            if (bus != null) {
                bus.close();
            }
        }
    }

    /** Messages B received, reported per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Received {
        /** Messages B received. */
        public long delivered;

        @Setup(Level.Iteration)
        public void reset() {
            delivered = 0;
        }
    }

    /**
     * A's side of the cross-thread run: publishes one message per operation, but never more than
     * {@value #WINDOW} ahead of B, so that the bounded queue never drops one.
     */
    @Benchmark
    @Group("crossThread")
    @GroupThreads(1)
    public void publish(Shared s, Control control) {
        while (s.published - s.received.get() >= WINDOW) {
            if (control.stopMeasurement) {
                return;
            }
            Thread.yield();
        }
        s.bus.publisher.ipcPublish(s.bus.topic, s.bus.payload);
        s.published++;
    }

    /** B's side of the cross-thread run: waits for messages, checks none was lost, counts them. */
    @Benchmark
    @Group("crossThread")
    @GroupThreads(1)
    public void receive(Shared s, Received r) {
        byte[] env = s.bus.subscriber.ipcRecv(s.bus.handle, s.timeoutMs);
        long seq = Envelopes.lastSeq(env);
        if (Envelopes.lagged(env) != 0 || Envelopes.dropped(env) != 0) {
            throw new IllegalStateException("messages were lost: " + Envelopes.text(env));
        }
        if (seq >= 0) {
            // Seqs are consecutive and nothing was lost, so this batch holds everything after the last one.
            r.delivered += seq - s.received.get();
            s.received.set(seq);
        }
    }
}
