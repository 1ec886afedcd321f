package dev.astrid.host.net;

import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.tck.NetProviderContract;

/** The built-in provider passes the net compatibility kit. */
class NetProviderCompatibilityTest extends NetProviderContract {
    @Override
    protected HostProvider createProvider() {
        return new NetProvider();
    }
}
