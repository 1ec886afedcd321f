package dev.astrid.host.ipc;

import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.tck.IpcProviderContract;

/** The built-in provider passes the IPC compatibility kit. */
class IpcProviderCompatibilityTest extends IpcProviderContract {
    @Override
    protected HostProvider createProvider() {
        return new IpcProvider();
    }
}
