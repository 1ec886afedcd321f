package dev.astrid.host.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.astrid.host.spi.services.SecretStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of a {@link SecretStore} host service: values kept per owner and key, byte for byte,
 * replaced, deleted, kept apart between owners, and safe to use from several threads.
 *
 * <p>Extend it and implement {@link #open(Path)}; {@link #durable()} (by default true)
 * proves that values outlive the store object when the implementation is durable.
 */
public abstract class SecretStoreContract {
    /** A temporary directory, new for each test. */
    @TempDir
    protected Path tempDir;

    /** The store under test. */
    protected SecretStore store;

    /** Opens the store under test in a directory. */
    protected abstract SecretStore open(Path dir);

    /** Whether values survive closing and reopening the store in the same directory. */
    protected boolean durable() {
        return true;
    }

    @BeforeEach
    void openStore() {
        store = open(tempDir);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aValueComesBackByteForByteAndCanBeReplacedAndDeleted() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        assertThat(store.has("capsule:a", "k")).isFalse();
        assertThat(store.get("capsule:a", "k")).isEmpty();
        store.put("capsule:a", "k", all);
        assertThat(store.has("capsule:a", "k")).isTrue();
        assertThat(store.get("capsule:a", "k")).hasValueSatisfying(v -> assertThat(v).isEqualTo(all));
        store.put("capsule:a", "k", b("second"));
        assertThat(store.get("capsule:a", "k")).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("second")));
        assertThat(store.delete("capsule:a", "k")).isTrue();
        assertThat(store.delete("capsule:a", "k")).isFalse();
        assertThat(store.has("capsule:a", "k")).isFalse();
    }

    @Test
    void ownersAndKeysAreKeptApart() {
        store.put("capsule:a", "token", b("a's"));
        store.put("capsule:b", "token", b("b's"));
        store.put("capsule:a", "Token", b("other case"));
        store.put("capsule:a", "clé ✓", b("unicode"));
        assertThat(store.get("capsule:a", "token")).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("a's")));
        assertThat(store.get("capsule:b", "token")).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("b's")));
        assertThat(store.get("capsule:a", "Token")).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("other case")));
        assertThat(store.get("capsule:a", "clé ✓")).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("unicode")));
        assertThat(store.has("capsule:c", "token")).isFalse();
        store.delete("capsule:a", "token");
        assertThat(store.has("capsule:b", "token")).isTrue();
    }

    @Test
    void theCallersArrayIsNotKept() {
        byte[] v = b("original");
        store.put("capsule:a", "k", v);
        v[0] = 'X';
        assertThat(store.get("capsule:a", "k")).hasValueSatisfying(got -> assertThat(got).isEqualTo(b("original")));
    }

    @Test
    void valuesOutliveTheStoreObject() {
        if (!durable()) {
            return;
        }
        store.put("capsule:a", "k", b("kept"));
        store.close();
        store = open(tempDir);
        assertThat(store.get("capsule:a", "k")).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("kept")));
    }

    @Test
    void severalThreadsMayUseTheStoreAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String owner = "capsule:t" + t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        byte[] value = b(owner + "/" + i);
                        store.put(owner, "k" + i, value);
                        assertThat(store.get(owner, "k" + i)).hasValueSatisfying(v -> assertThat(v).isEqualTo(value));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int t = 0; t < 4; t++) {
            assertThat(store.has("capsule:t" + t, "k24")).isTrue();
        }
    }
}
