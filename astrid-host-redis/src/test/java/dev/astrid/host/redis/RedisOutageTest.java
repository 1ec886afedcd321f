package dev.astrid.host.redis;

import dev.astrid.host.tck.RedisServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.host.tck.TestCapsule;
import dev.astrid.sys.abi.IpcFunctions;
import dev.astrid.sys.abi.KvFunctions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hosts (two provider pairs, each with its own data directory) on one real redis-server share a
 * capsule's KV namespace and the bus; stopping the server makes calls fail with clear traps, and
 * after it starts again the KV data is there (append-only file) and the bus carries messages again.
 */
class RedisOutageTest {
    @TempDir
    Path redisDir;
    @TempDir
    Path tmp;

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static TestCapsule capsule(Path dataDir) {
        return new TestCapsule.Host(dataDir).capsule("shared")
                .capabilities(Capabilities.builder().ipcPublish("app.*").ipcSubscribe("app.*").build()).build();
    }

    /** Publishes from one host until the other receives it, at most for a deadline; returns the envelope. */
    static String publishUntilReceived(IpcFunctions from, IpcFunctions to, String handle, String topic) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            Throwable failed = catchThrowable(() -> from.ipcPublish(b(topic), b("{\"n\":1}")));
            // While the bus reconnects a publish may still fail; the recv below is the wait.
            String got = s(to.ipcRecv(b(handle), b("200")));
            if (failed == null && got.contains(topic)) {
                return got;
            }
        }
        throw new AssertionError("no message on " + topic + " reached the other host within 30 s");
    }

    @Test
    void twoHostsShareKvAndTheBusAndLiveThroughARestart() throws Exception {
        try (RedisServer redis = RedisServer.start(redisDir)) {
            RedisSettings settings = TestRedis.settings(redis);
            RedisKvProvider kvA = new RedisKvProvider(settings);
            RedisKvProvider kvB = new RedisKvProvider(settings);
            RedisIpcProvider ipcA = new RedisIpcProvider(settings);
            RedisIpcProvider ipcB = new RedisIpcProvider(settings);
            try (kvA; kvB; ipcA; ipcB) {
                TestCapsule onA = capsule(tmp.resolve("a"));
                TestCapsule onB = capsule(tmp.resolve("b"));
                KvFunctions ka = kvA.bind(onA);
                KvFunctions kb = kvB.bind(onB);
                IpcFunctions ia = ipcA.bind(onA);
                IpcFunctions ib = ipcB.bind(onB);

                ka.kvSet(b("counter"), b("41"));
                assertThat(s(kb.kvGet(b("counter")))).as("host B reads host A's write").isEqualTo("41");
                String handle = s(ib.ipcSubscribe(b("app.*")));
                ia.ipcPublish(b("app.hello"), b("{\"from\":\"a\"}"));
                String envelope = s(ib.ipcRecv(b(handle), b("10000")));
                assertThat(envelope).contains("\"topic\":\"app.hello\"")
                        .contains("\"payload\":{\"type\":\"custom\",\"data\":{\"from\":\"a\"}}")
                        .contains("\"lagged\":0");

                redis.stop();
                assertThat(catchThrowable(() -> kb.kvGet(b("counter")))).isInstanceOf(HostException.class)
                        .hasMessageStartingWith("kv_get failed: read failed on Redis at 127.0.0.1:")
                        .hasMessageContaining("the server is unreachable");
                assertThat(catchThrowable(() -> ka.kvSet(b("counter"), b("42")))).isInstanceOf(HostException.class)
                        .hasMessageStartingWith("kv_set failed: write failed on Redis");
                assertThat(catchThrowable(() -> ia.ipcPublish(b("app.lost"), b("{}")))).isInstanceOf(HostException.class)
                        .hasMessageStartingWith("the event bus could not publish on Redis at 127.0.0.1:")
                        .hasMessageContaining("the server is unreachable");

                redis.startAgain();
                assertThat(s(kb.kvGet(b("counter")))).as("kept in the append-only file across the restart").isEqualTo("41");
                kb.kvSet(b("counter"), b("42"));
                assertThat(s(ka.kvGet(b("counter")))).isEqualTo("42");
                String after = publishUntilReceived(ia, ib, handle, "app.again");
                assertThat(after).doesNotContain("app.lost");
                assertThat(publishUntilReceived(ib, ia, s(ia.ipcSubscribe(b("app.*"))), "app.back"))
                        .as("and the other way").contains("app.back");
            }
        }
    }

    /** Counts of one phase that every worker must reach. */
    static final class Phase {
        final java.util.concurrent.CountDownLatch reached;

        Phase(int workers) {
            reached = new java.util.concurrent.CountDownLatch(workers);
        }

        void await(String what) throws InterruptedException {
            if (!reached.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new AssertionError("not every worker " + what + " within 60 s");
            }
        }
    }

    @Test
    void callsUnderLoadTrapCleanlyWhileRedisRestartsAndSucceedAgainAfter() throws Exception {
        int workers = 4;
        try (RedisServer redis = RedisServer.start(redisDir)) {
            RedisSettings settings = TestRedis.settings(redis);
            RedisKvProvider kvProvider = new RedisKvProvider(settings);
            RedisIpcProvider ipcProvider = new RedisIpcProvider(settings);
            try (kvProvider; ipcProvider) {
                Phase before = new Phase(workers);
                Phase during = new Phase(workers);
                Phase after = new Phase(workers);
                java.util.concurrent.atomic.AtomicInteger stage = new java.util.concurrent.atomic.AtomicInteger();
                java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
                java.util.List<Throwable> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
                java.util.List<Thread> threads = new java.util.ArrayList<>();
                for (int w = 0; w < workers; w++) {
                    TestCapsule c = capsule(tmp.resolve("w" + w));
                    KvFunctions kv = kvProvider.bind(c);
                    IpcFunctions ipc = ipcProvider.bind(c);
                    byte[] key = b("k" + w);
                    Thread t = new Thread(() -> {
                        boolean[] counted = new boolean[3];
                        for (long i = 0; !stop.get(); i++) {
                            int seen = stage.get();
                            try {
                                kv.kvSet(key, b(Long.toString(i)));
                                kv.kvGet(key);
                                ipc.ipcPublish(b("app.load"), b("{}"));
                                if (seen != 1 && !counted[seen]) {
                                    counted[seen] = true;
                                    (seen == 0 ? before : after).reached.countDown();
                                }
                            } catch (HostException e) {
                                boolean clear = e.getMessage().contains("on Redis at 127.0.0.1:");
                                if (!clear) {
                                    unexpected.add(e);
                                } else if (seen == 1 && !counted[1]) {
                                    counted[1] = true;
                                    during.reached.countDown();
                                }
                            } catch (RuntimeException e) {
                                unexpected.add(e);
                            }
                        }
                    }, "load-" + w);
                    threads.add(t);
                    t.start();
                }
                before.await("succeeded before the outage");
                stage.set(1);
                redis.stop();
                during.await("met the outage as a clear trap");
                redis.startAgain();
                stage.set(2);
                after.await("succeeded again after the restart");
                stop.set(true);
                for (Thread t : threads) {
                    t.join(60_000);
                    assertThat(t.isAlive()).as("%s ended", t.getName()).isFalse();
                }
                assertThat(unexpected).as("only clear Redis traps, never anything else").isEmpty();
            }
        }
    }
}
