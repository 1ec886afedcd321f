package dev.astrid.host.process;

import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.host.tck.TestCapsule;
import dev.astrid.sys.abi.ProcessFunctions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Run in a JVM of its own by {@link ProcessShutdownTest}: starts a background {@code sleep} for a
 * capsule, unsandboxed, says {@code started}, and exits without unloading anything or closing the
 * provider, as an embedding application that forgets to (or is stopped with SIGTERM) would.
 */
public final class ExitingHost {
    private ExitingHost() {}

    /** Arguments: a directory for the test host, the marker. */
    public static void main(String[] args) {
        TestCapsule.Host host = new TestCapsule.Host(Path.of(args[0]));
        TestCapsule capsule = host.capsule("leaver").capabilities(Capabilities.builder().hostProcess("sleep").build())
                .settings(ProviderSettings.of(Map.of(ProcessProvider.SANDBOX_SETTING, "none"))).build();
        ProcessFunctions p = (ProcessFunctions) new ProcessProvider().bind(capsule);
        p.spawnBackgroundHost(("{\"cmd\":\"sleep\",\"args\":[\"3600." + args[1] + "\"]}").getBytes(StandardCharsets.UTF_8));
        System.out.println("started");
        System.out.flush();
        System.exit(0);
    }
}
