package dev.astrid.host.interaction;

import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.tck.ElicitProviderContract;

class ElicitProviderCompatibilityTest extends ElicitProviderContract {
    @Override
    protected HostProvider createProvider() {
        return new ElicitProvider();
    }
}
