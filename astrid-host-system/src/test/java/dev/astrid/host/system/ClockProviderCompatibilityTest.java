package dev.astrid.host.system;

import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.tck.ClockProviderContract;

/** The built-in clock provider against the clock contract. */
class ClockProviderCompatibilityTest extends ClockProviderContract {
    @Override
    protected HostProvider createProvider() {
        return new ClockProvider();
    }
}
