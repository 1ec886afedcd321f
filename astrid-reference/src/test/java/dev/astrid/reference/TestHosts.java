package dev.astrid.reference;

import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.engine.EngineOptions;
import dev.astrid.host.kv.SealedSecretStore;
import dev.astrid.host.kv.SealedSecretStoreFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Hosts and capsules for tests, in a temporary directory. */
public final class TestHosts {
    private TestHosts() {}

    /** A host builder rooted in {@code dir} (data in dir/data, workspace dir/ws, the secrets key in dir/secrets.key). */
    public static HostConfig.Builder config(Path dir, boolean interpreter) {
        try {
            Files.createDirectories(dir.resolve("ws"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return HostConfig.builder().dataDir(dir.resolve("data")).workspace(dir.resolve("ws"))
                .secretsKeyFile(secretsKey(dir)).engine(EngineOptions.DEFAULT.withInterpreter(interpreter));
    }

    /** The secrets key file of a host made by {@link #config(Path, boolean)}: never the user's own. */
    public static Path secretsKey(Path dir) {
        return dir.resolve("secrets.key");
    }

    /** The secret store a host made by {@link #config(Path, boolean)} uses. */
    @SuppressWarnings("exports") // a test helper; the kv module is not part of the reference host's API
    public static SealedSecretStore secrets(Path dir) {
        return SealedSecretStoreFactory.openStore(dir.resolve("data"),
                ProviderSettings.of(Map.of("secrets.key-file", secretsKey(dir).toString())));
    }

    /** Loads a committed guest as a bare module named after it. */
    public static LoadedCapsule loadBare(AstridHost host, String guest) {
        return host.load(CapsuleManifest.bare(guest), Guests.bytes(guest), Optional.empty());
    }
}
