package dev.astrid.reference.families;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.astrid.host.kv.SecretKeyFile;
import dev.astrid.host.kv.SealedSecretStore;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.reference.AstridHost;
import dev.astrid.reference.Guests;
import dev.astrid.reference.TestHosts;
import dev.astrid.sys.abi.AbiFunction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sealed secrets through the host (the store itself is tested in {@code astrid-host-kv}'s
 * {@code SecretsAtRestTest}, a secret set from the command line in {@code astrid-cli}'s
 * {@code SecretCommandHostTest}).
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

    @Test
    void aHostWithTheWrongKeyRefusesToLoadTheCapsule() throws Exception {
        try (SealedSecretStore s = SealedSecretStore.open(data().resolve("secrets.db"), key("right.key"))) {
            s.put("capsule:vault", "api_key", VALUE.getBytes(StandardCharsets.UTF_8));
        }
        // A store elsewhere creates the other key on its first write.
        try (SealedSecretStore other = SealedSecretStore.open(dir.resolve("elsewhere/secrets.db"), key("wrong.key"))) {
            other.put("capsule:x", "k", new byte[] {1});
        }
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).secretsKeyFile(dir.resolve("wrong.key")).build())) {
            assertThatThrownBy(() -> host.load(CapsuleManifest.bare("vault"), Guests.bytes("abi-driver"), Optional.empty()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("cannot load vault: ")
                    .hasMessageContaining("was sealed with another key");
        }
        try (SealedSecretStore s = SealedSecretStore.open(data().resolve("secrets.db"), key("right.key"))) {
            assertThat(s.get("capsule:vault", "api_key").orElseThrow()).asString(StandardCharsets.UTF_8).isEqualTo(VALUE);
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
