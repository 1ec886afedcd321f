package dev.astrid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.astrid.host.kv.SealedSecretStore;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.reference.AstridHost;
import dev.astrid.reference.capsule.ComponentHash;
import dev.astrid.sys.abi.AbiFunction;
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
 * {@code astrid secret set}, then a host that reads the secret: the value is sealed on disk, and a
 * secret set for a bare module belongs to its bytes, not to its name (moved from the reference
 * host's {@code SecretsEndToEndTest} and {@code CapsuleIdentityTest} with the command line).
 */
class SecretCommandHostTest {
    private static final String VALUE = "correct-horse-battery-staple";

    @TempDir
    Path dir;

    private Path data() {
        return dir.resolve("data");
    }

    private Path capsule(String name, String version, String guest) throws Exception {
        Path c = Files.createDirectories(dir.resolve("src").resolve(name));
        Files.write(c.resolve("component.wasm"), Guests.bytes(guest));
        Files.writeString(c.resolve("Capsule.toml"), "[package]\nname = \"" + name + "\"\nversion = \"" + version + "\"\n"
                + "[[component]]\nfile = \"component.wasm\"\n");
        return c;
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
        try (SealedSecretStore s = TestHosts.secrets(dir)) {
            s.put("capsule:vault", "second", "another-plain-value".getBytes(StandardCharsets.UTF_8));
            assertThat(data().resolve("secrets.db-wal")).as("the write is in the WAL while the store is open").exists();
            assertThat(contains(storeBytes(), "another-plain-value".getBytes(StandardCharsets.UTF_8))).isFalse();
            assertThat(s.get("capsule:vault", "api_key").orElseThrow()).isEqualTo(plain);
        }
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            AbiDriver d = new AbiDriver(host.load(CapsuleManifest.bare("vault"), Guests.bytes("abi-driver"), Optional.empty()));
            assertThat(d.text(AbiFunction.HAS_SECRET, "{\"key\":\"api_key\"}")).isEqualTo("{\"exists\":true}");
        }
    }

    @Test
    void aSecretSetForABareModuleBelongsToItsBytesNotToItsName() throws Exception {
        Path bare = Files.createDirectories(dir.resolve("mods")).resolve("vault.wasm");
        Files.write(bare, Guests.bytes("abi-driver"));
        InputStream stdin = System.in;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc;
        try {
            System.setIn(new ByteArrayInputStream("s3cret".getBytes(StandardCharsets.UTF_8)));
            rc = AstridCli.execute(new String[] {"secret", "set", bare.toString(), "api_key", "--data-dir", dir.resolve("data").toString(),
                "--setting", "secrets.key-file=" + TestHosts.secretsKey(dir)}, new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
        } finally {
            System.setIn(stdin);
        }
        assertThat(rc).as(err.toString(StandardCharsets.UTF_8)).isZero();
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            AbiDriver module = new AbiDriver(host.load(bare));
            assertThat(module.text(AbiFunction.HAS_SECRET, "{\"key\":\"api_key\"}")).isEqualTo("{\"exists\":true}");
            module.call(AbiFunction.KV_SET, "k".getBytes(), "v".getBytes());
        }
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            AbiDriver named = new AbiDriver(host.load(capsule("vault", "1.0.0", "abi-driver")));
            assertThat(named.text(AbiFunction.HAS_SECRET, "{\"key\":\"api_key\"}")).isEqualTo("{\"exists\":false}");
            assertThat(named.text(AbiFunction.KV_LIST_KEYS, "")).isEqualTo("[]");
        }
        assertThat(dir.resolve("data/modules").resolve(ComponentHash.sha256(Guests.bytes("abi-driver")))).isDirectory();
    }
}
