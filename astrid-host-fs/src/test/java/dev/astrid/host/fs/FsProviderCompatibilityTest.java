package dev.astrid.host.fs;

import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.tck.FsProviderContract;
import java.util.Map;
import org.junit.jupiter.api.Nested;

/** The built-in file provider against the file contract, in both of its modes. */
class FsProviderCompatibilityTest {

    /** Writes land straight in the workspace. */
    @Nested
    class DirectMode extends FsProviderContract {
        @Override
        protected HostProvider createProvider() {
            return new FsProvider();
        }

        @Override
        protected ProviderSettings settings() {
            return ProviderSettings.of(Map.of(FsSettings.MODE, "direct"));
        }
    }

    /** Through the copy-on-write overlay, committing at unload to exercise the commit too. */
    @Nested
    class OverlayMode extends FsProviderContract {
        @Override
        protected HostProvider createProvider() {
            return new FsProvider();
        }

        @Override
        protected ProviderSettings settings() {
            return ProviderSettings.of(Map.of(FsSettings.MODE, "overlay", FsSettings.ON_UNLOAD, "commit"));
        }
    }
}
