package dev.astrid.host.system;

import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.tck.LogProviderContract;

/** The built-in log provider against the log contract. */
class LogProviderCompatibilityTest extends LogProviderContract {
    @Override
    protected HostProvider createProvider() {
        return new LogProvider();
    }
}
