package dev.astrid.host.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.astrid.host.spi.ProviderSettings;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secret values are sealed on disk under a key kept outside the data directory. What the host and
 * the command line make of it is in the reference host's {@code SecretsEndToEndTest}.
 */
class SecretsAtRestTest {
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
    void aWrongOrMissingKeyFailsCleanly() throws Exception {
        try (SealedSecretStore s = SealedSecretStore.open(data().resolve("secrets.db"), key("right.key"))) {
            s.put("capsule:vault", "api_key", VALUE.getBytes(StandardCharsets.UTF_8));
        }
        key("wrong.key").loadOrCreate(new java.security.SecureRandom());
        assertThatThrownBy(() -> SealedSecretStore.open(data().resolve("secrets.db"), key("wrong.key")))
                .isInstanceOf(KvException.class)
                .hasMessage(data().resolve("secrets.db") + " was sealed with another key than the one in " + dir.resolve("wrong.key")
                        + "; restore the key file it was created with, or point setting secrets.key-file at it");
        assertThatThrownBy(() -> SealedSecretStore.open(data().resolve("secrets.db"), key("missing.key")))
                .isInstanceOf(KvException.class).hasMessageContaining("does not exist; restore it");
        assertThat(dir.resolve("missing.key")).as("no new key replaces a lost one").doesNotExist();
        try (SealedSecretStore s = SealedSecretStore.open(data().resolve("secrets.db"), key("right.key"))) {
            assertThat(s.get("capsule:vault", "api_key").orElseThrow()).asString(StandardCharsets.UTF_8).isEqualTo(VALUE);
        }
    }

    @Test
    void aSealedValueMovedToAnotherCapsuleOrKeyDoesNotOpen() throws Exception {
        try (SealedSecretStore s = SealedSecretStore.open(data().resolve("secrets.db"), key("k"))) {
            s.put("capsule:vault", "api_key", VALUE.getBytes(StandardCharsets.UTF_8));
            s.put("capsule:thief", "api_key", "decoy".getBytes(StandardCharsets.UTF_8));
        }
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + data().resolve("secrets.db"));
                Statement st = db.createStatement()) {
            st.executeUpdate("UPDATE sealed_secret SET v = (SELECT v FROM sealed_secret WHERE ns = 'capsule:vault')"
                    + " WHERE ns = 'capsule:thief'");
            st.executeUpdate("INSERT INTO sealed_secret(ns, k, v) SELECT ns, 'other_key', v FROM sealed_secret WHERE ns = 'capsule:vault'");
        }
        try (SealedSecretStore s = SealedSecretStore.open(data().resolve("secrets.db"), key("k"))) {
            assertThatThrownBy(() -> s.get("capsule:thief", "api_key")).isInstanceOf(KvException.class)
                    .hasMessageContaining("secret api_key of capsule:thief does not open");
            assertThatThrownBy(() -> s.get("capsule:vault", "other_key")).isInstanceOf(KvException.class)
                    .hasMessageContaining("does not open");
            assertThat(s.get("capsule:vault", "api_key").orElseThrow()).asString(StandardCharsets.UTF_8).isEqualTo(VALUE);
        }
    }

    @Test
    void plainValuesOfAnEarlierVersionAreSealedOnOpenAndLeaveNoTrace() throws Exception {
        Files.createDirectories(data());
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + data().resolve("secrets.db"))) {
            try (Statement st = db.createStatement()) {
                st.execute("PRAGMA journal_mode=WAL");
                st.execute("CREATE TABLE secret(capsule TEXT NOT NULL, k TEXT NOT NULL, v BLOB NOT NULL, PRIMARY KEY(capsule, k)) WITHOUT ROWID");
            }
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO secret VALUES(?, ?, ?)")) {
                ps.setString(1, "vault");
                ps.setString(2, "api_key");
                ps.setBytes(3, VALUE.getBytes(StandardCharsets.UTF_8));
                ps.executeUpdate();
            }
        }
        assertThat(contains(storeBytes(), VALUE.getBytes(StandardCharsets.UTF_8))).as("the old store is plain").isTrue();
        try (SealedSecretStore s = SealedSecretStore.open(data().resolve("secrets.db"), key("k"))) {
            assertThat(contains(storeBytes(), VALUE.getBytes(StandardCharsets.UTF_8))).as("sealed right after opening").isFalse();
            assertThat(s.has("capsule:vault", "api_key")).isTrue();
            assertThat(s.get("capsule:vault", "api_key").orElseThrow()).asString(StandardCharsets.UTF_8).isEqualTo(VALUE);
        }
        assertThat(contains(storeBytes(), VALUE.getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(dir.resolve("k")).exists();
    }

    @Test
    void theKeyFileIsPrivateAndKeptAwayFromTheData() throws Exception {
        SecretKeyFile k = key("conf/astrid/secrets.key");
        try (SealedSecretStore s = SealedSecretStore.open(data().resolve("secrets.db"), k)) {
            assertThat(k.file()).as("created on first need only").doesNotExist();
            s.put("capsule:a", "x", new byte[] {1});
        }
        assertThat(Files.size(k.file())).isEqualTo(SecretKeyFile.KEY_BYTES);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(k.file()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(k.file().getParent()))).isEqualTo("rwx------");

        Files.setPosixFilePermissions(k.file(), PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> SealedSecretStore.open(data().resolve("secrets.db"), k)).isInstanceOf(KvException.class)
                .hasMessage("the secrets key file " + k.file() + " is open to other users (rw-r--r--); run chmod 600 " + k.file());
        Files.setPosixFilePermissions(k.file(), PosixFilePermissions.fromString("rw-------"));

        ProviderSettings inside = ProviderSettings.of(Map.of("secrets.key-file", data().resolve("keys/secrets.key").toString()));
        assertThatThrownBy(() -> SealedSecretStoreFactory.openStore(data(), inside)).isInstanceOf(KvException.class)
                .hasMessageContaining("lies inside the data directory " + data());
        Files.createSymbolicLink(dir.resolve("link"), data());
        ProviderSettings viaLink = ProviderSettings.of(Map.of("secrets.key-file", dir.resolve("link/secrets.key").toString()));
        assertThatThrownBy(() -> SealedSecretStoreFactory.openStore(data(), viaLink)).as("a link does not hide it")
                .hasMessageContaining("lies inside the data directory");
        assertThat(data().resolve("secrets.key")).doesNotExist();
    }

    @Test
    void theDefaultKeyFileFollowsXdgConfigHome() {
        assertThat(SecretKeyFile.defaultFile(Map.of("XDG_CONFIG_HOME", "/cfg"), "/home/u")).isEqualTo(Path.of("/cfg/astrid/secrets.key"));
        assertThat(SecretKeyFile.defaultFile(Map.of(), "/home/u")).isEqualTo(Path.of("/home/u/.config/astrid/secrets.key"));
        assertThat(SecretKeyFile.defaultFile(Map.of("XDG_CONFIG_HOME", "relative"), "/home/u"))
                .isEqualTo(Path.of("/home/u/.config/astrid/secrets.key"));
    }
}
