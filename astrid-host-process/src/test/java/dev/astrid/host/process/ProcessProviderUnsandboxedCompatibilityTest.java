package dev.astrid.host.process;

import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.tck.ProcessProviderContract;
import java.util.Map;

/** The built-in provider against the compatibility kit with {@code process.sandbox=none}: the path hosts without bwrap take. */
class ProcessProviderUnsandboxedCompatibilityTest extends ProcessProviderContract {
    @Override
    protected HostProvider createProvider() {
        return new ProcessProvider();
    }

    @Override
    protected ProviderSettings settings() {
        return ProviderSettings.of(Map.of(ProcessProvider.SANDBOX_SETTING, "none"));
    }
}
