package dev.astrid.host.fs;

import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.tck.FsProviderContract;
import java.util.Map;

/** The family contract through the copy-on-write overlay (committing at unload, to exercise the commit too). */
class OverlayModeContractTest extends FsProviderContract {
    @Override
    protected HostProvider createProvider() {
        return new FsProvider();
    }

    @Override
    protected ProviderSettings settings() {
        return ProviderSettings.of(Map.of(FsSettings.MODE, "overlay", FsSettings.ON_UNLOAD, "commit"));
    }
}
