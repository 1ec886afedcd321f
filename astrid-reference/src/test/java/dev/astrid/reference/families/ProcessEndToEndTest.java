package dev.astrid.reference.families;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.host.tck.HostProcesses;
import dev.astrid.reference.AbiDriver;
import dev.astrid.reference.AstridHost;
import dev.astrid.reference.Guests;
import dev.astrid.reference.LoadedCapsule;
import dev.astrid.reference.TestHosts;
import dev.astrid.sys.abi.Family;
import dev.astrid.sys.abi.AbiFunction;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The four process functions called by the real {@code abi-driver} guest through the kernel, with
 * real processes: answers, traps, background logs and kill, and no process left after a kill, an
 * unload, the host's close or a call that ran past its own timeout.
 */
class ProcessEndToEndTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final CapsuleManifest TOOLS = CapsuleManifest.bare("tools")
            .withCapabilities(Capabilities.builder().hostProcess("echo", "sh").build());

    @TempDir
    Path dir;

    private LoadedCapsule load(AstridHost host, CapsuleManifest m) throws Exception {
        return host.load(m, Guests.bytes("abi-driver"), Optional.of(Files.createDirectories(dir.resolve(m.name()))));
    }

    private static String request(String cmd, String... args) {
        JsonObject o = new JsonObject();
        o.addProperty("cmd", cmd);
        JsonArray a = new JsonArray();
        for (String arg : args) {
            a.add(arg);
        }
        o.add("args", a);
        return o.toString();
    }

    private static String trap(Runnable r) {
        return catchThrowableOfType(GuestCallException.class, r::run).getMessage();
    }

    private static void assertGone(String marker) {
        assertThat(HostProcesses.awaitGone(marker, PATIENCE)).as("still running: %s", HostProcesses.pids(marker)).isTrue();
    }

    @Test
    void spawnHostAnswersTheCommandsOutputAsJson() throws Exception {
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            AbiDriver d = new AbiDriver(load(host, TOOLS));
            assertThat(d.text(AbiFunction.SPAWN_HOST, request("echo", "hello", "from a guest")))
                    .isEqualTo("{\"stdout\":\"hello from a guest\\n\",\"stderr\":\"\",\"exit_code\":0}");
            assertThat(d.text(AbiFunction.SPAWN_HOST, request("sh", "-c", "printf 'é'; echo oops >&2; exit 2")))
                    .isEqualTo("{\"stdout\":\"é\",\"stderr\":\"oops\\n\",\"exit_code\":2}");
            assertThat(d.text(AbiFunction.SPAWN_HOST, request("sh", "-c", "pwd")))
                    .contains(dir.resolve("ws").toRealPath().toString());
        }
    }

    @Test
    void refusalsAndBadRequestsTrapWithTheFunctionsName() throws Exception {
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            AbiDriver d = new AbiDriver(load(host, TOOLS));
            assertThat(trap(() -> d.text(AbiFunction.SPAWN_HOST, request("cat", "/etc/passwd"))))
                    .isEqualTo("astrid_spawn_host: security denied host_process: 'cat' is not in the capsule's host_process list");
            assertThat(trap(() -> d.text(AbiFunction.SPAWN_BACKGROUND_HOST, "{\"cmd\":")))
                    .isEqualTo("astrid_spawn_background_host: failed to parse process request: unexpected end of input");
            assertThat(trap(() -> d.text(AbiFunction.READ_PROCESS_LOGS_HOST, "{\"id\":7}")))
                    .isEqualTo("astrid_read_process_logs_host: no background process with id 7");
            assertThat(trap(() -> d.text(AbiFunction.KILL_PROCESS_HOST, "{\"id\":\"7\"}")))
                    .isEqualTo("astrid_kill_process_host: failed to parse process request: field \"id\" must be an unsigned integer, got a string");
            assertThat(trap(() -> d.call(AbiFunction.READ_PROCESS_LOGS_HOST, new byte[257])))
                    .isEqualTo("astrid_read_process_logs_host: memory allocation of 257 bytes exceeds maximum allowed limit of 256 bytes");
            AbiDriver none = new AbiDriver(load(host, CapsuleManifest.bare("plain")));
            assertThat(trap(() -> none.text(AbiFunction.SPAWN_HOST, request("echo", "x"))))
                    .startsWith("astrid_spawn_host: security denied host_process");
        }
    }

    @Test
    void aBackgroundProcessIsReadAndKilledWithItsChildren() throws Exception {
        String m = HostProcesses.marker();
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            AbiDriver d = new AbiDriver(load(host, TOOLS));
            assertThat(d.text(AbiFunction.SPAWN_BACKGROUND_HOST, request("sh", "-c",
                    "trap '' TERM; echo ready; sleep 3600." + m + " & wait", "tag-" + m))).isEqualTo("{\"id\":1}");
            assertThat(HostProcesses.awaitSleeping(m, 1, PATIENCE)).as("the script and its child").isTrue();
            StringBuilder out = new StringBuilder();
            assertThat(HostProcesses.await(PATIENCE, () -> {
                JsonObject logs = JsonParser.parseString(d.text(AbiFunction.READ_PROCESS_LOGS_HOST, "{\"id\":1}"))
                        .getAsJsonObject();
                assertThat(logs.get("running").getAsBoolean()).isTrue();
                assertThat(logs.get("exit_code").isJsonNull()).isTrue();
                out.append(logs.get("stdout").getAsString());
                return out.toString().equals("ready\n");
            })).isTrue();
            assertThat(d.text(AbiFunction.KILL_PROCESS_HOST, "{\"id\":1}"))
                    .isEqualTo("{\"killed\":true,\"exit_code\":null,\"stdout\":\"\",\"stderr\":\"\"}");
            assertGone(m);
        }
    }

    @Test
    void unloadingTheCapsuleAndClosingTheHostLeaveNoProcess() throws Exception {
        String first = HostProcesses.marker();
        String second = HostProcesses.marker();
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            LoadedCapsule tools = load(host, TOOLS);
            new AbiDriver(tools).text(AbiFunction.SPAWN_BACKGROUND_HOST, request("sh", "-c", "sleep 3600." + first + " & wait",
                    "tag-" + first));
            AbiDriver other = new AbiDriver(load(host, CapsuleManifest.bare("other")
                    .withCapabilities(Capabilities.builder().hostProcess("sh").build())));
            other.text(AbiFunction.SPAWN_BACKGROUND_HOST, request("sh", "-c", "sleep 3600." + second + " & wait", "tag-" + second));
            assertThat(HostProcesses.awaitSleeping(first, 1, PATIENCE)).isTrue();
            assertThat(HostProcesses.awaitSleeping(second, 1, PATIENCE)).isTrue();
            java.util.Set<Long> others = HostProcesses.pids(second);

            host.unload(tools);
            assertGone(first);
            assertThat(HostProcesses.pids(second)).as("the other capsule's processes run on").isEqualTo(others);
        }
        assertGone(second);
    }

    @Test
    void aCallThatRunsPastItsTimeoutTakesItsProcessTreeWithIt() throws Exception {
        String m = HostProcesses.marker();
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            LoadedCapsule c = load(host, TOOLS);
            byte[] in = driverInput(AbiFunction.SPAWN_HOST, request("sh", "-c", "trap '' TERM; sleep 3600." + m + " & wait",
                    "tag-" + m));
            GuestCallException e = catchThrowableOfType(GuestCallException.class,
                    () -> c.call("invoke", in, Invocation.Caller.NONE, Duration.ofMillis(1500)));
            assertThat(e.kind()).isEqualTo(GuestCallException.Kind.TIMEOUT);
            assertGone(m);
            assertThat(new AbiDriver(c).text(AbiFunction.SPAWN_HOST, request("echo", "still here")))
                    .contains("still here");
        }
    }

    @Test
    void theHostBindsTheProcessFamilyToTheProcessProvider() {
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            assertThat(host.boundProviders().get(Family.PROCESS).name()).isEqualTo("astrid-host-process");
        }
    }

    /** The abi-driver's input (as {@code AbiDriver} builds it), for a call under a timeout of the test's choosing. */
    private static byte[] driverInput(AbiFunction fn, String... args) {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.write(fn.ordinal());
        in.write(args.length);
        for (String arg : args) {
            byte[] a = arg.getBytes(StandardCharsets.UTF_8);
            in.write(a.length);
            in.write(a.length >>> 8);
            in.write(a.length >>> 16);
            in.write(a.length >>> 24);
            in.writeBytes(a);
        }
        return in.toByteArray();
    }
}
