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
}
