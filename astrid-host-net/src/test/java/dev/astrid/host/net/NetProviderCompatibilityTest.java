package dev.astrid.host.net;

import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.tck.NetProviderContract;
import dev.astrid.host.tck.TestCapsule;
import java.nio.file.Path;

/** The built-in provider passes the net compatibility kit, with sockets where it says they are. */
class NetProviderCompatibilityTest extends NetProviderContract {
    @Override
    protected HostProvider createProvider() {
        return new NetProvider();
    }

    @Override
    protected Path socketPath(TestCapsule capsule, String name) {
        return NetProvider.socketDirectory(capsule).resolve(name);
    }
}
