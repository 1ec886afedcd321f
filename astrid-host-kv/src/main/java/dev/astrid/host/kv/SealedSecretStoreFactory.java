package dev.astrid.host.kv;

import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.spi.services.SecretStoreException;
import dev.astrid.host.spi.services.SecretStoreFactory;
import java.nio.file.Path;

/**
 * The host's default secret store: {@link SealedSecretStore} in {@code secrets.path} (default
 * {@code <data-dir>/secrets.db}), sealed with the key in {@code secrets.key-file} (see
 * {@link SecretKeyFile}; never inside the data directory).
 */
public final class SealedSecretStoreFactory implements SecretStoreFactory {

    /**
     * Opens the sealed store of a data directory with its settings.
     *
     * @throws KvException when the store cannot be opened, or the key file lies inside the data
     *     directory or does not open the store
     */
    public static SealedSecretStore openStore(Path dataDir, ProviderSettings settings) {
        SecretKeyFile key = SecretKeyFile.of(settings.get("secrets.key-file"));
        key.requireOutside(dataDir, "the data directory");
        return SealedSecretStore.open(settings.get("secrets.path").map(Path::of).orElse(dataDir.resolve("secrets.db")), key);
    }

    @Override
    public String name() {
        return "astrid-sealed-secrets";
    }

    @Override
    public SealedSecretStore open(Path dataDir, ProviderSettings settings) {
        try {
            return openStore(dataDir, settings);
        } catch (KvException e) {
            throw new SecretStoreException(e.getMessage(), e);
        }
    }
}
