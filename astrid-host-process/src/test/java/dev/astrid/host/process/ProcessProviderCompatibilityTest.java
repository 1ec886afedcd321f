package dev.astrid.host.process;

import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.tck.ProcessProviderContract;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/** The built-in process provider against the process contract, with the default sandbox and with none. */
class ProcessProviderCompatibilityTest {
    @BeforeAll
    static void sayWhichSandboxRuns() {
        System.out.println("process contract (process.sandbox=auto) runs with sandbox: "
                + new ProcessProvider().sandbox(ProviderSettings.empty()).describe());
    }

    /** The default settings: inside bubblewrap where it can run, unsandboxed otherwise (the output says which). */
    @Nested
    class DefaultSandbox extends ProcessProviderContract {
        @Override
        protected HostProvider createProvider() {
            return new ProcessProvider();
        }
    }

    /** {@code process.sandbox=none}: the path hosts without bwrap take. */
    @Nested
    class Unsandboxed extends ProcessProviderContract {
        @Override
        protected HostProvider createProvider() {
            return new ProcessProvider();
        }

        @Override
        protected ProviderSettings settings() {
            return ProviderSettings.of(Map.of(ProcessProvider.SANDBOX_SETTING, "none"));
        }
    }
}
