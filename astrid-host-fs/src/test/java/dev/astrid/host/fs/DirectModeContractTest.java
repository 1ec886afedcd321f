package dev.astrid.host.fs;

import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.tck.FsProviderContract;
import java.util.Map;

/** The family contract with writes landing straight in the workspace. */
class DirectModeContractTest extends FsProviderContract {
    @Override
    protected HostProvider createProvider() {
        return new FsProvider();
    }

    @Override
    protected ProviderSettings settings() {
        return ProviderSettings.of(Map.of(FsSettings.MODE, "direct"));
    }
}
