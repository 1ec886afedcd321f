package dev.astrid.host.redis;

import dev.astrid.host.tck.RedisServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.astrid.host.kv.KvException;
import dev.astrid.host.kv.KvStorage;
import dev.astrid.host.kv.KvStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Redis backend does what the SQLite one does, byte for byte and quota for quota. */
class RedisKvStorageTest {
    @TempDir
    static Path redisDir;
    static RedisServer redis;
    @TempDir
    Path tmp;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start(redisDir);
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The same script of writes on a backend, its observations as text. */
    static List<String> script(KvStorage s) {
        List<String> seen = new ArrayList<>();
        Function<Runnable, String> attempt = action -> {
            Throwable t = catchThrowable(action::run);
            return t == null ? "ok" : t.getClass().getSimpleName() + ": " + t.getMessage();
        };
        seen.add(attempt.apply(() -> s.set("capsule:q", b("a"), new byte[10])));
        seen.add(attempt.apply(() -> s.set("capsule:q", b("bb"), new byte[10])));
        seen.add(attempt.apply(() -> s.set("capsule:q", b("c"), new byte[10])));
        seen.add(attempt.apply(() -> s.set("capsule:q", b("d"), b("v"))));
        seen.add(attempt.apply(() -> s.set("capsule:q", b("a"), new byte[17])));
        seen.add(attempt.apply(() -> s.set("capsule:q", b("a"), new byte[14])));
        seen.add(attempt.apply(() -> s.delete("capsule:q", b("bb"))));
        seen.add(attempt.apply(() -> s.delete("capsule:q", b("absent"))));
        seen.add(attempt.apply(() -> s.set("capsule:q", b("dd"), b("v"))));
        seen.add("cleared " + s.clearPrefix("capsule:q", b("c")));
        long[] u = s.usage("capsule:q");
        seen.add("usage " + u[0] + " " + u[1]);
        List<String> keys = new ArrayList<>();
        s.scanKeys("capsule:q", new byte[0], k -> keys.add(new String(k, StandardCharsets.UTF_8)));
        seen.add("keys " + keys);
        seen.add("other " + s.usage("capsule:none")[0]);
        return seen;
    }

    @Test
    void quotaAndUsageMatchTheSqliteStoreStepByStep() {
        KvStore.Limits limits = new KvStore.Limits(40, 3, 0);
        List<String> sqlite;
        try (KvStore s = KvStore.open(tmp.resolve("kv.db"), false, limits)) {
            sqlite = script(s);
        }
        List<String> onRedis;
        try (RedisKvStorage s = new RedisKvStorage(TestRedis.settings(redis), limits)) {
            onRedis = script(s);
        }
        assertThat(onRedis).isEqualTo(sqlite);
        assertThat(onRedis.get(3)).startsWith("KvException: quota exceeded").contains("kv.max-keys");
        assertThat(onRedis.get(4)).startsWith("KvException: quota exceeded").contains("kv.max-bytes");
        assertThat(onRedis).contains("usage 2 18");
    }

    @Test
    void listingPagesThroughManyKeysInUnsignedByteOrderAndClearTakesThemAllAtOnce() {
        try (RedisKvStorage s = new RedisKvStorage(TestRedis.settings(redis), KvStore.Limits.DEFAULT)) {
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 2500; i++) {
                String k = String.format("p/%05d", i);
                expected.add(k);
                s.set("capsule:many", b(k), b("v"));
            }
            s.set("capsule:many", b("p/\u00e9"), b("high bytes sort after ASCII"));
            expected.add("p/\u00e9");
            s.set("capsule:many", b("q"), b("outside the prefix"));
            List<String> listed = new ArrayList<>();
            s.scanKeys("capsule:many", b("p/"), k -> listed.add(new String(k, StandardCharsets.UTF_8)));
            assertThat(listed).isEqualTo(expected);
            assertThat(s.clearPrefix("capsule:many", b("p/"))).isEqualTo(2501);
            assertThat(s.usage("capsule:many")).containsExactly(1, 1 + "outside the prefix".length());
            assertThat(s.get("capsule:many", b("p/00001"))).isNull();
        }
    }

    @Test
    void aPrefixOfAllFfBytesRunsToTheEndOfTheNamespace() {
        try (RedisKvStorage s = new RedisKvStorage(TestRedis.settings(redis), KvStore.Limits.DEFAULT)) {
            byte[] ff = {(byte) 0xff};
            byte[] ffKey = {(byte) 0xff, 'x'};
            s.set("capsule:ff", ffKey, b("1"));
            s.set("capsule:ff", b("a"), b("2"));
            List<byte[]> listed = new ArrayList<>();
            s.scanKeys("capsule:ff", ff, listed::add);
            assertThat(listed).containsExactly(ffKey);
            assertThat(s.clearPrefix("capsule:ff", ff)).isEqualTo(1);
            assertThat(s.get("capsule:ff", b("a"))).isEqualTo(b("2"));
        }
    }

    @Test
    void aDeadServerIsAKvExceptionNamingIt() {
        RedisSettings nowhere = new RedisSettings(java.net.URI.create("redis://127.0.0.1:1"), 500, "t");
        try (RedisKvStorage s = new RedisKvStorage(nowhere, KvStore.Limits.DEFAULT)) {
            Throwable t = catchThrowable(() -> s.get("capsule:x", b("k")));
            assertThat(t).isInstanceOf(KvException.class)
                    .hasMessageStartingWith("read failed on Redis at 127.0.0.1:1: the server is unreachable");
        }
    }
}
