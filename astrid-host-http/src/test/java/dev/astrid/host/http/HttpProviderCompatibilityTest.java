package dev.astrid.host.http;

import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.tck.HttpProviderContract;

/** The built-in provider passes the HTTP compatibility kit against a real loopback server. */
class HttpProviderCompatibilityTest extends HttpProviderContract {
    @Override
    protected HostProvider createProvider() {
        return new HttpProvider();
    }
}
