package dev.astrid.reference.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store itself: persistence, ordering, locking and concurrent writers. */
class KvStoreTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void dataSurvivesCloseAndReopen() {
        Path file = dir.resolve("kv.db");
        try (KvStore s = KvStore.open(file, false)) {
            s.set("capsule:a", b("k"), b("v1"));
            s.set("capsule:a", b("gone"), b("x"));
            s.delete("capsule:a", b("gone"));
        }
        try (KvStore s = KvStore.open(file, true)) {
            assertThat(s.get("capsule:a", b("k"))).isEqualTo(b("v1"));
            assertThat(s.get("capsule:a", b("gone"))).isNull();
        }
    }

    @Test
    void aSecondHostCannotOpenTheSameFile() {
        Path file = dir.resolve("kv.db");
        try (KvStore s = KvStore.open(file, false)) {
            assertThatThrownBy(() -> KvStore.open(file, false)).isInstanceOf(KvException.class)
                    .hasMessageContaining("in use by another astrid host");
            s.set("n", b("k"), b("v"));
        }
        try (KvStore again = KvStore.open(file, false)) {
            assertThat(again.get("n", b("k"))).isEqualTo(b("v"));
        }
    }

    @Test
    void prefixUpperBoundsHandleTrailingFF() {
        assertThat(KvStore.upperBound(new byte[] {'a', 'b'})).containsExactly('a', 'c');
        assertThat(KvStore.upperBound(new byte[] {'a', (byte) 0xff})).containsExactly('b');
        assertThat(KvStore.upperBound(new byte[] {(byte) 0xff, (byte) 0xff})).isNull();
        assertThat(KvStore.upperBound(new byte[0])).isNull();
    }

    @Test
    void listAndClearWorkOnTheFileNotJustTheCache() {
        Path file = dir.resolve("kv.db");
        try (KvStore s = KvStore.open(file, false)) {
            for (int i = 0; i < 50; i++) {
                s.set("ns", b(String.format("key/%03d", i)), b("v" + i));
            }
            s.set("other", b("key/000"), b("x"));
            assertThat(s.listKeys("ns", b("key/04"))).hasSize(10);
            assertThat(s.clearPrefix("ns", b("key/"))).isEqualTo(50);
            assertThat(s.get("ns", b("key/001"))).isNull();
            assertThat(s.get("other", b("key/000"))).isEqualTo(b("x"));
        }
    }

    @Test
    void concurrentWritersFromSeveralCapsulesAllLand() throws Exception {
        Path file = dir.resolve("kv.db");
        int threads = 6;
        int perThread = 150;
        try (KvStore s = KvStore.open(file, false)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String ns = "capsule:c" + t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        s.set(ns, b("k" + i), b(ns + "/" + i));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
        }
        try (KvStore s = KvStore.open(file, false)) {
            for (int t = 0; t < threads; t++) {
                String ns = "capsule:c" + t;
                assertThat(s.listKeys(ns, new byte[0])).hasSize(perThread);
                assertThat(s.get(ns, b("k" + (perThread - 1)))).isEqualTo(b(ns + "/" + (perThread - 1)));
            }
        }
    }

    @Test
    void secretsLiveApartAndKeysAreChecked() {
        try (SecretStore s = SecretStore.open(dir.resolve("secrets.db"))) {
            assertThat(s.has("cap", "token")).isFalse();
            s.set("cap", "token", b("hunter2"));
            assertThat(s.has("cap", "token")).isTrue();
            assertThat(s.has("other", "token")).isFalse();
            assertThat(s.get("cap", "token")).isEqualTo(b("hunter2"));
        }
        assertThat(SecretStore.invalidKey("")).contains("empty");
        assertThat(SecretStore.invalidKey("a:b")).contains("':'");
        assertThat(SecretStore.invalidKey("api_key")).isNull();
    }
}
