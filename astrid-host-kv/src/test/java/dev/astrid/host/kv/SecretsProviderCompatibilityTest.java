package dev.astrid.host.kv;

import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.tck.SecretsProviderContract;

/** The built-in secrets provider against the secrets contract. */
class SecretsProviderCompatibilityTest extends SecretsProviderContract {
    @Override
    protected HostProvider createProvider() {
        return new SecretsProvider();
    }
}
