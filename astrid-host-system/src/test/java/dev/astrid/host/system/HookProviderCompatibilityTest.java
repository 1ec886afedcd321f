package dev.astrid.host.system;

import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.tck.HookProviderContract;

/** The built-in hooks provider against the hooks contract. */
class HookProviderCompatibilityTest extends HookProviderContract {
    @Override
    protected HostProvider createProvider() {
        return new HookProvider();
    }
}
