package dev.astrid.reference.families;

import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.reference.AbiDriver;
import dev.astrid.reference.AstridHost;
import dev.astrid.reference.Guests;
import dev.astrid.reference.TestHosts;
import dev.astrid.sys.abi.AbiFunction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Run in a JVM of its own with a small heap by {@link HookBacklogMemoryTest}: capsules publish 4 MiB
 * messages to an interceptor whose hook call never returns, so every message after the first waits
 * in the interceptor's backlog. Prints one line per refused publish and then
 * {@code published N of M}.
 */
public final class HookBacklogProbe {
    /** The capsule budget the probe sets: 16 MiB, room for about four waiting messages. */
    static final int BUDGET = 16 * 1024 * 1024;
    static final int PAYLOAD = 4 * 1024 * 1024;

    private HookBacklogProbe() {}

    /** Arguments: a scratch directory, the number of publishers, the messages each publishes. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int publishers = Integer.parseInt(args[1]);
        int each = Integer.parseInt(args[2]);
        byte[] payload = new byte[PAYLOAD];
        Arrays.fill(payload, (byte) 'x');
        payload[0] = '"';
        payload[PAYLOAD - 1] = '"';
        byte[] topic = "big.data".getBytes(StandardCharsets.UTF_8);
        int published = 0;
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false)
                .setting("ipc.hook-timeout-ms", "0").setting("ipc.capsule-max-bytes", Integer.toString(BUDGET)).build())) {
            host.load(CapsuleManifest.bare("waiter")
                    .withCapabilities(Capabilities.builder().ipcSubscribe("big.data", "hook.wait").build())
                    .withInterceptors(List.of(new CapsuleManifest.Interceptor("big.data", "on_big"))),
                    Guests.bytes("hook-waiter"), Optional.of(Files.createDirectories(dir.resolve("c-waiter"))));
            byte[] driver = Guests.bytes("abi-driver");
            List<AbiDriver> drivers = new ArrayList<>();
            for (int i = 0; i < publishers; i++) {
                drivers.add(new AbiDriver(host.load(CapsuleManifest.bare("publisher-" + i).withCapabilities(
                        Capabilities.builder().ipcPublish("big.data").build()), driver, Optional.empty())));
            }
            // Each publisher stays within its 10 MiB per second: no publish waits for the rate limit.
            for (int round = 0; round < each; round++) {
                for (AbiDriver d : drivers) {
                    try {
                        d.call(AbiFunction.IPC_PUBLISH, topic, payload);
                        published++;
                    } catch (Throwable t) {
                        System.out.println("refused: " + t);
                    }
                }
            }
            Runtime rt = Runtime.getRuntime();
            System.gc();
            System.out.println("heap in use " + (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024) + " MiB of "
                    + rt.maxMemory() / (1024 * 1024));
            System.out.println("published " + published + " of " + publishers * each);
        }
        System.out.flush();
        // The waiting hook call has been interrupted by the unload; nothing else must keep the JVM.
        System.exit(0);
    }
}
