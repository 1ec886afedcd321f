package dev.astrid.host.identity;

import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.tck.IdentityProviderContract;

/** The built-in provider against the family's compatibility kit. */
class IdentityProviderCompatibilityTest extends IdentityProviderContract {
    @Override
    protected HostProvider createProvider() {
        return new IdentityProvider();
    }
}
