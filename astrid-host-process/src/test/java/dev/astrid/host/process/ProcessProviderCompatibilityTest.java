package dev.astrid.host.process;

import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.tck.ProcessProviderContract;
import org.junit.jupiter.api.BeforeAll;

/**
 * The built-in provider against the family's compatibility kit, with the default settings: inside
 * bubblewrap where it can run, unsandboxed otherwise (the output says which).
 */
class ProcessProviderCompatibilityTest extends ProcessProviderContract {
    @BeforeAll
    static void sayWhichSandboxRuns() {
        System.out.println("process contract (process.sandbox=auto) runs with sandbox: "
                + new ProcessProvider().sandbox(ProviderSettings.empty()).describe());
    }

    @Override
    protected HostProvider createProvider() {
        return new ProcessProvider();
    }
}
