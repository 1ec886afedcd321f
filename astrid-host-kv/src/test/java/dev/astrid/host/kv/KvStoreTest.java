package dev.astrid.host.kv;

import dev.astrid.host.spi.services.SecretStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

    private static List<String> keys(KvStore s, String ns, String prefix) {
        List<String> out = new ArrayList<>();
        s.scanKeys(ns, b(prefix), k -> out.add(new String(k, StandardCharsets.UTF_8)));
        return out;
    }

    private SecretKeyFile key() {
        return SecretKeyFile.of(Optional.of(dir.resolve("secrets.key").toString()));
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
            assertThat(keys(s, "ns", "key/04")).hasSize(10);
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
                assertThat(keys(s, ns, "")).hasSize(perThread);
                assertThat(s.get(ns, b("k" + (perThread - 1)))).isEqualTo(b(ns + "/" + (perThread - 1)));
            }
        }
    }

    @Test
    void secretsLiveApartAndKeysAreChecked() {
        try (SealedSecretStore s = SealedSecretStore.open(dir.resolve("data/secrets.db"), key())) {
            assertThat(s.has("cap", "token")).isFalse();
            s.put("cap", "token", b("hunter2"));
            assertThat(s.has("cap", "token")).isTrue();
            assertThat(s.has("other", "token")).isFalse();
            assertThat(s.delete("cap", "token")).isTrue();
            assertThat(s.has("cap", "token")).isFalse();
            assertThat(s.delete("cap", "token")).isFalse();
            s.put("cap", "token", b("hunter2"));
            assertThat(s.get("cap", "token").orElseThrow()).isEqualTo(b("hunter2"));
        }
        assertThat(SecretStore.invalidKey("")).contains("empty");
        assertThat(SecretStore.invalidKey("a:b")).contains("':'");
        assertThat(SecretStore.invalidKey("api_key")).isNull();
    }

    @Test
    void aStoreFromBeforeTheQuotaCountsItsUsageOnOpenAndKeepsItExact() throws Exception {
        Path file = dir.resolve("kv.db");
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            try (Statement st = db.createStatement()) {
                st.execute("CREATE TABLE kv(ns TEXT NOT NULL, k BLOB NOT NULL, v BLOB NOT NULL, PRIMARY KEY(ns, k)) WITHOUT ROWID");
            }
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO kv VALUES(?, ?, ?)")) {
                for (String k : new String[] {"a", "bb", "ccc"}) {
                    ps.setString(1, "capsule:old");
                    ps.setBytes(2, b(k));
                    ps.setBytes(3, new byte[10]);
                    ps.executeUpdate();
                }
            }
        }
        try (KvStore s = KvStore.open(file, false, new KvStore.Limits(40, 3, 0))) {
            assertThat(s.usage("capsule:old")).containsExactly(3, 36);
            assertThatThrownBy(() -> s.set("capsule:old", b("d"), b("v"))).isInstanceOf(KvException.class)
                    .hasMessageContaining("kv.max-keys");
            assertThatThrownBy(() -> s.set("capsule:old", b("a"), new byte[15])).isInstanceOf(KvException.class)
                    .hasMessageContaining("kv.max-bytes");
            s.set("capsule:old", b("a"), new byte[14]);
            s.delete("capsule:old", b("bb"));
            s.set("capsule:old", b("dd"), b("v"));
            assertThat(s.clearPrefix("capsule:old", b("c"))).isEqualTo(1);
            assertThat(s.usage("capsule:old")).containsExactly(2, 1 + 14 + 2 + 1);
        }
        try (KvStore s = KvStore.open(file, false)) {
            assertThat(s.usage("capsule:old")).as("kept by the triggers across reopening").containsExactly(2, 18);
            assertThat(s.usage("capsule:none")).containsExactly(0, 0);
        }
    }

    @Test
    void eachCacheEntryCountsItsObjectsNotJustItsBytes() {
        assertThat(KvStore.entryBytes(b("k"), new byte[0])).as("an empty value is an array too").isEqualTo(40 + 24 + 12 + 24 + 16);
        assertThat(KvStore.entryBytes(new byte[8], new byte[9])).isEqualTo(40 + 24 + 12 + 24 + 32);
    }
}
