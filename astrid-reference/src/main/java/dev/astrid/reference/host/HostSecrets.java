package dev.astrid.reference.host;

import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.spi.services.SecretStore;
import dev.astrid.host.spi.services.SecretStoreException;
import dev.astrid.host.spi.services.SecretStoreFactory;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The host's secret store: the embedding application's, or one opened by the highest-ranked
 * {@link SecretStoreFactory} on first use (so that a host whose capsules never touch secrets
 * never needs the key file), or {@link SecretStore#NONE} when no factory is installed.
 */
public final class HostSecrets implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("astrid.host");

    private final Path dataDir;
    private final ProviderSettings settings;
    private final SecretStore given;
    private SecretStore opened;

    /**
     * A holder for a host.
     *
     * @param given the embedding application's store, if it gave one; the holder never closes it
     */
    public HostSecrets(Path dataDir, ProviderSettings settings, Optional<SecretStore> given) {
        this.dataDir = dataDir;
        this.settings = settings;
        this.given = given.orElse(null);
    }

    /**
     * The store, opened on the first call.
     *
     * @throws HostException when the store cannot be opened; the next call tries again
     */
    public synchronized SecretStore get() {
        if (given != null) {
            return given;
        }
        if (opened == null) {
            Optional<SecretStoreFactory> factory;
            try {
                factory = ServiceLoader.load(SecretStoreFactory.class, HostSecrets.class.getClassLoader()).stream()
                        .map(ServiceLoader.Provider::get).max(Comparator.comparingInt(SecretStoreFactory::priority));
            } catch (ServiceConfigurationError e) {
                throw new HostException("a secret store factory could not be loaded: " + e.getMessage(), e);
            }
            if (factory.isEmpty()) {
                opened = SecretStore.NONE;
            } else {
                try {
                    opened = factory.get().open(dataDir, settings);
                } catch (SecretStoreException e) {
                    throw new HostException(e.getMessage(), e);
                }
            }
        }
        return opened;
    }

    /** Closes the store this holder opened. */
    @Override
    public synchronized void close() {
        if (opened != null) {
            try {
                opened.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "closing the secret store failed", e);
            }
            opened = null;
        }
    }
}
