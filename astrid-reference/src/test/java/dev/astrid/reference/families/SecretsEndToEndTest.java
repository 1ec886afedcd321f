package dev.astrid.reference.families;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.astrid.host.kv.SecretKeyFile;
import dev.astrid.host.kv.SecretStore;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.reference.AbiDriver;
import dev.astrid.reference.AstridHost;
import dev.astrid.reference.Guests;
import dev.astrid.reference.TestHosts;
import dev.astrid.reference.cli.AstridCli;
import dev.astrid.sys.abi.HostFunction;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sealed secrets through the command line and the host (the store itself is tested in
 * {@code astrid-host-kv}'s {@code SecretsAtRestTest}).
 */
class SecretsEndToEndTest {
    private static final String VALUE = "correct-horse-battery-staple";

    @TempDir
    Path dir;

    private Path data() {
        return dir.resolve("data");
    }

    private SecretKeyFile key(String name) {
        return SecretKeyFile.of(Optional.of(dir.resolve(name).toString()));
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Every byte the store keeps on disk: the database, its WAL and its shared-memory index. */
    private byte[] storeBytes() throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (String f : new String[] {"secrets.db", "secrets.db-wal", "secrets.db-shm"}) {
            Path p = data().resolve(f);
            if (Files.exists(p)) {
                all.writeBytes(Files.readAllBytes(p));
            }
        }
        return all.toByteArray();
    }

    @Test
    void aSecretSetFromTheCommandLineIsNotOnDiskInPlainText() throws Exception {
        InputStream stdin = System.in;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc;
        try {
            System.setIn(new ByteArrayInputStream((VALUE + "\n").getBytes(StandardCharsets.UTF_8)));
            rc = AstridCli.execute(new String[] {"secret", "set", "vault", "api_key", "--data-dir", data().toString(),
                "--setting", "secrets.key-file=" + TestHosts.secretsKey(dir)}, new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
        } finally {
            System.setIn(stdin);
        }
        assertThat(rc).as(err.toString(StandardCharsets.UTF_8)).isZero();
        byte[] plain = VALUE.getBytes(StandardCharsets.UTF_8);
        assertThat(contains(storeBytes(), plain)).as("the value in secrets.db or its WAL").isFalse();
        try (SecretStore s = TestHosts.secrets(dir)) {
            s.set("capsule:vault", "second", "another-plain-value".getBytes(StandardCharsets.UTF_8));
            assertThat(data().resolve("secrets.db-wal")).as("the write is in the WAL while the store is open").exists();
            assertThat(contains(storeBytes(), "another-plain-value".getBytes(StandardCharsets.UTF_8))).isFalse();
            assertThat(s.get("capsule:vault", "api_key")).isEqualTo(plain);
        }
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            AbiDriver d = new AbiDriver(host.load(CapsuleManifest.bare("vault"), Guests.bytes("abi-driver"), Optional.empty()));
            assertThat(d.text(HostFunction.HAS_SECRET, "{\"key\":\"api_key\"}")).isEqualTo("{\"exists\":true}");
        }
    }

    @Test
    void aHostWithTheWrongKeyRefusesToLoadTheCapsule() throws Exception {
        try (SecretStore s = SecretStore.open(data().resolve("secrets.db"), key("right.key"))) {
            s.set("capsule:vault", "api_key", VALUE.getBytes(StandardCharsets.UTF_8));
        }
        // A store elsewhere creates the other key on its first write.
        try (SecretStore other = SecretStore.open(dir.resolve("elsewhere/secrets.db"), key("wrong.key"))) {
            other.set("capsule:x", "k", new byte[] {1});
        }
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).secretsKeyFile(dir.resolve("wrong.key")).build())) {
            assertThatThrownBy(() -> host.load(CapsuleManifest.bare("vault"), Guests.bytes("abi-driver"), Optional.empty()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("cannot load vault: ")
                    .hasMessageContaining("was sealed with another key");
        }
        try (SecretStore s = SecretStore.open(data().resolve("secrets.db"), key("right.key"))) {
            assertThat(s.get("capsule:vault", "api_key")).asString(StandardCharsets.UTF_8).isEqualTo(VALUE);
        }
    }

    @Test
    void aHostRefusesAKeyFileInsideItsDataDirectory() throws Exception {
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).secretsKeyFile(data().resolve("secrets.key")).build())) {
            assertThatThrownBy(() -> host.load(CapsuleManifest.bare("vault"), Guests.bytes("abi-driver"), Optional.empty()))
                    .hasMessageContaining("lies inside the data directory");
        }
        assertThat(data().resolve("secrets.key")).doesNotExist();
    }
}
