package dev.astrid.reference.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.reference.AbiDriver;
import dev.astrid.reference.AstridHost;
import dev.astrid.reference.Guests;
import dev.astrid.reference.LoadedCapsule;
import dev.astrid.reference.TestHosts;
import dev.astrid.sys.abi.AbiFunction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hundred run-loop capsules (guest {@code recv-loop}) loaded at once, each blocked in
 * {@code astrid_ipc_recv}, started the way {@code astrid run} starts run loops (one caller thread
 * per loop). Checks that they are all blocked there, that every one still answers a message, that
 * all unload cleanly, and measures what each costs: heap after collection, resident memory and
 * threads, printed as {@code scale:} lines. Only the thread count is asserted (a sane bound per
 * capsule); the memory figures are for the documentation.
 */
class ManyCapsulesTest {
    private static final int CAPSULES = 200;
    /** A run loop is its plugin thread plus the thread that called run; anything far past that is a leak. */
    private static final double MAX_THREADS_PER_CAPSULE = 3;
    private static final Duration LIMIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void twoHundredCapsulesBlockedInIpcRecvServeAndUnloadCleanly() throws Exception {
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            AbiDriver conductor = new AbiDriver(host.load(CapsuleManifest.bare("conductor").withCapabilities(Capabilities.builder()
                    .ipcPublish("scale.ping").ipcSubscribe("scale.pong").build()), Guests.bytes("abi-driver"), Optional.empty()));
            String pongs = conductor.text(AbiFunction.IPC_SUBSCRIBE, "scale.pong");
            byte[] wasm = Guests.bytes("recv-loop");

            long heap0 = Probes.heapAfterGc();
            long rss0 = Probes.rssBytes();
            long offHeap0 = rss0 - Runtime.getRuntime().totalMemory();
            Set<Long> threadIds0 = Probes.threadIds();
            int fds0 = Probes.openFds().size();
            long loadStart = System.nanoTime();

            List<LoadedCapsule> loops = new ArrayList<>();
            List<Thread> callers = new ArrayList<>();
            Map<String, String> endings = new ConcurrentHashMap<>();
            for (int i = 0; i < CAPSULES; i++) {
                LoadedCapsule c = host.load(CapsuleManifest.bare(String.format("scale-%03d", i)).withCapabilities(Capabilities.builder()
                        .ipcSubscribe("scale.ping").ipcPublish("scale.pong").build()), wasm, Optional.empty());
                loops.add(c);
                Thread t = new Thread(() -> endings.put(c.id(), runLoop(c)), "astrid-run-" + c.id());
                t.start();
                callers.add(t);
                assertThat(c.awaitReady(Duration.ofSeconds(30))).as(c.id() + " signalled ready").isTrue();
            }
            long loadMillis = (System.nanoTime() - loadStart) / 1_000_000;

            // Each plugin thread must be parked inside the IPC provider's recv, not spinning or ended.
            assertThat(Probes.await(LIMIT, () -> blockedInRecv(loops) == CAPSULES))
                    .as("capsules blocked in astrid_ipc_recv: %d of %d", blockedInRecv(loops), CAPSULES).isTrue();
            long heap1 = Probes.heapAfterGc();
            // Resident memory outside the Java heap (the heap's own size moves with every collection).
            long rss1 = Probes.rssBytes();
            long offHeap1 = rss1 - Runtime.getRuntime().totalMemory();
            Set<Long> threadIds1 = Probes.threadIds();
            long newThreads = threadIds1.stream().filter(id -> !threadIds0.contains(id)).count();
            double threadsPer = newThreads / (double) CAPSULES;
            System.out.printf("scale: %d capsules blocked in astrid_ipc_recv, loaded in %d ms (%d ms each)%n", CAPSULES,
                    loadMillis, loadMillis / CAPSULES);
            System.out.printf("scale: heap after GC %+d KiB in all, %d KiB per capsule%n", (heap1 - heap0) / 1024,
                    (heap1 - heap0) / 1024 / CAPSULES);
            // Resident figures mean something only when this test has the JVM to itself (-Dtest=ManyCapsulesTest).
            System.out.printf("scale: resident memory %+d MiB in all, %d KiB per capsule, of which outside the heap %d KiB%n",
                    (rss1 - rss0) / (1024 * 1024), (rss1 - rss0) / 1024 / CAPSULES, (offHeap1 - offHeap0) / 1024 / CAPSULES);
            System.out.printf("scale: %d new threads, %.2f per capsule%n", newThreads, threadsPer);
            assertThat(threadsPer).as("threads per blocked capsule").isLessThanOrEqualTo(MAX_THREADS_PER_CAPSULE);

            // Every loop still serves: one ping, two hundred answers, each from a different capsule.
            conductor.text(AbiFunction.IPC_PUBLISH, "scale.ping", "{\"ping\":1}");
            Set<String> answered = new HashSet<>();
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (answered.size() < CAPSULES && System.nanoTime() < deadline) {
                JsonElement envelope = JsonParser.parseString(conductor.text(AbiFunction.IPC_RECV, pongs, "1000"));
                for (JsonElement m : envelope.getAsJsonObject().getAsJsonArray("messages")) {
                    answered.add(m.getAsJsonObject().get("source_id").getAsString());
                }
            }
            assertThat(answered).as("capsules that answered the ping").hasSize(CAPSULES);
            assertThat(Probes.await(LIMIT, () -> blockedInRecv(loops) == CAPSULES)).as("all back in recv after answering").isTrue();

            // Unloading ends every run call; no thread and no file stays behind.
            long unloadStart = System.nanoTime();
            for (LoadedCapsule c : loops) {
                c.unload();
            }
            for (Thread t : callers) {
                t.join(LIMIT.toMillis());
                assertThat(t.isAlive()).as(t.getName() + " still running after unload").isFalse();
            }
            System.out.printf("scale: unloaded in %d ms; run calls ended as %s%n", (System.nanoTime() - unloadStart) / 1_000_000,
                    endings.values().stream().collect(java.util.stream.Collectors.groupingBy(s -> s,
                            java.util.TreeMap::new, java.util.stream.Collectors.counting())));
            assertThat(endings).hasSize(CAPSULES);
            assertThat(Probes.threadsLeftSince(threadIds0, Duration.ofSeconds(30))).as("threads left after unloading").isEmpty();
            assertThat(Probes.await(Duration.ofSeconds(10), () -> Probes.openFds().size() <= fds0))
                    .as("open files back to %d", fds0).isTrue();
            assertThat(conductor.text(AbiFunction.CLOCK_MS)).as("the host still serves").matches("[0-9]+");
        }
    }

    /** Runs a capsule's loop as {@code astrid run} does; answers how it ended. */
    private static String runLoop(LoadedCapsule c) {
        try {
            c.call("run", new byte[0], Invocation.Caller.NONE, Duration.ZERO);
            return "returned";
        } catch (GuestCallException e) {
            return e.kind().toString();
        }
    }

    /** How many of the capsules' plugin threads are waiting inside the IPC provider. */
    private static int blockedInRecv(List<LoadedCapsule> loops) {
        Set<String> names = new HashSet<>();
        for (LoadedCapsule c : loops) {
            names.add("astrid-" + c.id());
        }
        int n = 0;
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            Thread.State s = e.getKey().getState();
            if (names.contains(e.getKey().getName()) && (s == Thread.State.TIMED_WAITING || s == Thread.State.WAITING)
                    && java.util.Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().startsWith("dev.astrid.host.ipc."))) {
                n++;
            }
        }
        return n;
    }
}
