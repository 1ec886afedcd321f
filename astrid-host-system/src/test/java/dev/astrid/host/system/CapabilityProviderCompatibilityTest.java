package dev.astrid.host.system;

import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.tck.CapabilityProviderContract;

/** The built-in capability provider against the capability contract. */
class CapabilityProviderCompatibilityTest extends CapabilityProviderContract {
    @Override
    protected HostProvider createProvider() {
        return new CapabilityProvider();
    }
}
