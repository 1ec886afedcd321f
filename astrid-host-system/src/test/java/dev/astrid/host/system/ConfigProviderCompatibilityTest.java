package dev.astrid.host.system;

import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.tck.ConfigProviderContract;

/** The built-in config and caller provider against the config and caller contract. */
class ConfigProviderCompatibilityTest extends ConfigProviderContract {
    @Override
    protected HostProvider createProvider() {
        return new ConfigProvider();
    }
}
