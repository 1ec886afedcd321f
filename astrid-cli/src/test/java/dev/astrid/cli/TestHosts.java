package dev.astrid.cli;

import dev.astrid.host.kv.SealedSecretStore;
import dev.astrid.host.kv.SealedSecretStoreFactory;
import dev.astrid.engine.EngineOptions;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.reference.HostConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Hosts and secret stores of command-line tests in a temporary directory, as in the reference host's tests. */
final class TestHosts {
    private TestHosts() {}

    /** A host builder rooted in {@code dir} (data in dir/data, workspace dir/ws, the secrets key in dir/secrets.key). */
    static HostConfig.Builder config(Path dir, boolean interpreter) {
        try {
            Files.createDirectories(dir.resolve("ws"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HostConfig.builder().dataDir(dir.resolve("data")).workspace(dir.resolve("ws"))
                .secretsKeyFile(secretsKey(dir)).engine(EngineOptions.DEFAULT.withInterpreter(interpreter));
    }

    /** The secrets key file of a test rooted in {@code dir}. */
    static Path secretsKey(Path dir) {
        return dir.resolve("secrets.key");
    }

    /** The secret store the commands use for {@code --data-dir dir/data --setting secrets.key-file=...}. */
    static SealedSecretStore secrets(Path dir) {
        return SealedSecretStoreFactory.openStore(dir.resolve("data"),
                ProviderSettings.of(Map.of("secrets.key-file", secretsKey(dir).toString())));
    }
}
