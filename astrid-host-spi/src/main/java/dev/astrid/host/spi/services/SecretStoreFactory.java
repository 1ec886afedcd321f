package dev.astrid.host.spi.services;

import dev.astrid.host.spi.ProviderSettings;
import java.nio.file.Path;

/**
 * Opens the host's {@link SecretStore} when the embedding application supplies none. Found with
 * {@link java.util.ServiceLoader}; of several, the one with the highest {@link #priority()} wins.
 */
public interface SecretStoreFactory {

    /** A stable name, for messages. */
    String name();

    /** Rank among factories; the project's own declares 0. */
    default int priority() {
        return 0;
    }

    /**
     * Opens the store of a host.
     *
     * @param dataDir the host's data directory
     * @param settings the host's provider settings
     * @throws SecretStoreException when the store cannot be opened; the host does not start
     */
    SecretStore open(Path dataDir, ProviderSettings settings);
}
