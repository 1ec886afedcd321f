package dev.astrid.host.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.host.tck.JsonTree;
import dev.astrid.host.tck.TestCapsule;
import dev.astrid.sys.abi.ProcessFunctions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox choice and what bubblewrap hides. Where bwrap cannot run on the test machine (no
 * bwrap, or a container without user namespaces), the bwrap tests assert instead that forcing it
 * fails the load with a clear message; the output says which applied.
 */
class ProcessSandboxTest {
    /** Null when bwrap runs here; else why not (judged by the test itself, not by the provider). */
    private static String bwrapProblem;

    @TempDir
    Path dir;

    private TestCapsule.Host host;
    private ProcessProvider provider;
    private final List<AutoCloseable> bindings = new ArrayList<>();

    @BeforeAll
    static void probeBwrapIndependently() throws Exception {
        try {
            Process p = new ProcessBuilder("bwrap", "--ro-bind", "/", "/", "true").redirectErrorStream(true).start();
            p.getOutputStream().close();
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            bwrapProblem = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? null : "bwrap fails: " + said;
        } catch (IOException e) {
            bwrapProblem = "no bwrap on the PATH";
        }
        System.out.println("process sandbox tests: " + (bwrapProblem == null ? "bwrap runs here; testing the bwrap sandbox"
                : bwrapProblem + "; testing that forcing bwrap fails clearly"));
    }

    @BeforeEach
    void setUp() {
        host = new TestCapsule.Host(dir.resolve("data"), dir.resolve("ws"));
        provider = new ProcessProvider();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable b : bindings) {
            b.close();
        }
        provider.close();
    }

    private ProcessFunctions bind(String id, Map<String, String> settings, Capabilities caps) {
        return bind(new LoggedCapsule(host.capsule(id).capabilities(caps).settings(ProviderSettings.of(settings)).build()));
    }

    private ProcessFunctions bind(LoggedCapsule c) {
        ProcessFunctions p = (ProcessFunctions) provider.bind(c);
        bindings.add((AutoCloseable) p);
        return p;
    }

    private static Map<String, String> sandbox(String mode) {
        return Map.of(ProcessProvider.SANDBOX_SETTING, mode);
    }

    private static Capabilities commands(String... cmds) {
        return Capabilities.builder().hostProcess(cmds).build();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> run(ProcessFunctions p, String cmd, String... args) {
        com.google.gson.JsonObject o = new com.google.gson.JsonObject();
        o.addProperty("cmd", cmd);
        com.google.gson.JsonArray a = new com.google.gson.JsonArray();
        for (String arg : args) {
            a.add(arg);
        }
        o.add("args", a);
        return (Map<String, Object>) JsonTree.parse(new String(p.spawnHost(o.toString().getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8));
    }

    /** When bwrap cannot run here: forcing it must fail the load, naming the setting and the reason. */
    private void assertForcedBwrapFails() {
        Throwable t = catchThrowable(() -> bind("forced", sandbox("bwrap"), commands("echo")));
        assertThat(t).isInstanceOf(HostException.class).hasMessageStartingWith("process.sandbox=bwrap, but ");
        System.out.println("  forced bwrap refused: " + t.getMessage());
    }

    // ---- the choice ----------------------------------------------------------------------------

    @Test
    void autoUsesBwrapWhereItRunsAndNothingOtherwise() {
        String chosen = provider.sandbox(ProviderSettings.empty()).name();
        System.out.println("  process.sandbox=auto chose: " + chosen);
        assertThat(chosen).isEqualTo(bwrapProblem == null ? "bwrap" : "none");
    }

    @Test
    void autoWithoutBwrapRunsUnsandboxedWithALoadTimeWarning() {
        LoggedCapsule c = new LoggedCapsule(host.capsule("fallback").capabilities(commands("echo"))
                .settings(ProviderSettings.of(Map.of(ProcessProvider.BWRAP_SETTING, "/nonexistent/bwrap"))).build());
        ProcessFunctions p = bind(c);
        assertThat(c.warnings).singleElement().asString().contains("fallback").contains("UNSANDBOXED")
                .contains("there is no /nonexistent/bwrap");
        assertThat(run(p, "echo", "still runs")).containsEntry("stdout", "still runs\n");
    }

    @Test
    void noneIsUnsandboxedAndSaysSoAtLoadWithoutAWarning() {
        LoggedCapsule c = new LoggedCapsule(host.capsule("plain").capabilities(commands("echo"))
                .settings(ProviderSettings.of(sandbox("none"))).build());
        bind(c);
        assertThat(c.warnings).isEmpty();
        assertThat(c.infos).singleElement().asString().contains("plain").contains("unsandboxed");
    }

    @Test
    void aCapsuleThatMayRunNothingIsNeitherProbedNorWarned() {
        LoggedCapsule c = new LoggedCapsule(host.capsule("quiet").settings(ProviderSettings.of(Map.of(
                ProcessProvider.SANDBOX_SETTING, "bwrap", ProcessProvider.BWRAP_SETTING, "/nonexistent/bwrap"))).build());
        bind(c);
        assertThat(c.warnings).isEmpty();
    }

    @Test
    void forcingBwrapWhereItCannotRunFailsTheLoadClearly() {
        Throwable missing = catchThrowable(() -> bind("forced-missing", Map.of(ProcessProvider.SANDBOX_SETTING, "bwrap",
                ProcessProvider.BWRAP_SETTING, "/nonexistent/bwrap"), commands("echo")));
        assertThat(missing).isInstanceOf(HostException.class)
                .hasMessage("process.sandbox=bwrap, but there is no /nonexistent/bwrap (install the bubblewrap package)");
        if (bwrapProblem != null) {
            assertForcedBwrapFails();
        } else {
            bind("forced-ok", sandbox("bwrap"), commands("echo"));
        }
    }

    @Test
    void invalidSettingsFailTheLoadNamingTheKey() {
        assertThat(catchThrowable(() -> bind("s1", sandbox("maybe"), commands("echo"))))
                .hasMessage("setting process.sandbox must be auto, bwrap or none, got 'maybe'");
        assertThat(catchThrowable(() -> bind("s2", Map.of(ProcessProvider.TIMEOUT_SETTING, "0"), commands("echo"))))
                .hasMessageStartingWith("setting process.timeout-ms must be between 1 and ");
        assertThat(catchThrowable(() -> bind("s3", Map.of(ProcessProvider.MAX_OUTPUT_SETTING, "10485761"), commands("echo"))))
                .hasMessage("setting process.max-output-bytes must be between 1 and 10485760, got 10485761");
        assertThat(catchThrowable(() -> bind("s4", Map.of(ProcessProvider.MAX_BACKGROUND_SETTING, "x"), commands("echo"))))
                .hasMessage("setting process.max-background must be an integer, got 'x'");
    }

    // ---- what bwrap hides ----------------------------------------------------------------------

    @Test
    void filesOutsideTheWorkspaceAreInvisibleInTheSandboxAndVisibleWithout() throws Exception {
        Path secret = Files.createDirectories(dir.resolve("outside")).resolve("secret.txt");
        Files.writeString(secret, "outside the workspace");
        assertThat(run(bind("bare", sandbox("none"), commands("cat")), "cat", secret.toString()))
                .as("unsandboxed commands reach what the host user can").containsEntry("exit_code", 0L)
                .containsEntry("stdout", "outside the workspace");
        if (bwrapProblem != null) {
            assertForcedBwrapFails();
            return;
        }
        Map<String, Object> r = run(bind("boxed", sandbox("bwrap"), commands("cat")), "cat", secret.toString());
        assertThat(r).containsEntry("stdout", "").containsEntry("exit_code", 1L);
        assertThat((String) r.get("stderr")).contains("No such file or directory");
    }

    @Test
    void theSystemIsReadOnlyAndEtcHoldsOnlyTheDocumentedFiles() {
        if (bwrapProblem != null) {
            assertForcedBwrapFails();
            return;
        }
        ProcessFunctions p = bind("ro", sandbox("bwrap"), commands("sh", "ls"));
        Map<String, Object> touch = run(p, "sh", "-c", "touch /usr/astrid-probe || exit 7");
        assertThat(touch).containsEntry("exit_code", 7L);
        assertThat((String) touch.get("stderr")).contains("Read-only file system");
        Set<String> etc = Set.of(((String) run(p, "ls", "-A", "/etc").get("stdout")).split("\n"));
        assertThat(etc).isNotEmpty().isSubsetOf(dev.astrid.host.process.internal.Bwrap.ETC).doesNotContain("shadow");
        String scratch = "/tmp/astrid-sandbox-" + dev.astrid.host.tck.HostProcesses.marker();
        assertThat(run(p, "sh", "-c", "echo mine > " + scratch + " && cat " + scratch)).containsEntry("stdout", "mine\n");
        assertThat(Path.of(scratch)).as("the sandbox's /tmp is its own").doesNotExist();
    }

    @Test
    void theNetworkIsThereOnlyWithTheNetCapability() throws Exception {
        if (bwrapProblem != null) {
            assertForcedBwrapFails();
            return;
        }
        Set<String> hostInterfaces = interfaces(Files.readString(Path.of("/proc/net/dev")));
        ProcessFunctions offline = bind("offline", sandbox("bwrap"), commands("cat"));
        assertThat(interfaces((String) run(offline, "cat", "/proc/net/dev").get("stdout"))).containsExactly("lo");
        ProcessFunctions online = bind("online", sandbox("bwrap"),
                Capabilities.builder().hostProcess("cat").net("example.com").build());
        assertThat(interfaces((String) run(online, "cat", "/proc/net/dev").get("stdout"))).isEqualTo(hostInterfaces);
    }

    private static Set<String> interfaces(String procNetDev) {
        return procNetDev.lines().filter(l -> l.contains(":")).map(l -> l.substring(0, l.indexOf(':')).strip())
                .collect(Collectors.toSet());
    }

    @Test
    void aCommandSeesOnlyItsOwnProcesses() {
        if (bwrapProblem != null) {
            assertForcedBwrapFails();
            return;
        }
        ProcessFunctions p = bind("pids", sandbox("bwrap"), commands("ls"));
        List<String> pids = ((String) run(p, "ls", "/proc").get("stdout")).lines().filter(l -> l.matches("\\d+"))
                .collect(Collectors.toList());
        assertThat(pids).as("bwrap's init, and ls itself").hasSizeLessThanOrEqualTo(3)
                .doesNotContain(Long.toString(ProcessHandle.current().pid()));
    }

    @Test
    void theHostDataDirectoryIsHiddenWhenItLiesInTheWorkspace() throws Exception {
        if (bwrapProblem != null) {
            assertForcedBwrapFails();
            return;
        }
        host = new TestCapsule.Host(dir.resolve("ws").resolve("data"), dir.resolve("ws"));
        Files.writeString(host.dataDir().resolve("kv.db"), "host state");
        ProcessFunctions p = bind("nosy", sandbox("bwrap"), commands("ls", "cat"));
        assertThat(run(p, "ls", "-A", "data")).containsEntry("stdout", "").containsEntry("exit_code", 0L);
        assertThat(run(p, "cat", "data/kv.db")).containsEntry("exit_code", 1L);
    }

    @Test
    void aProgramOutsideTheSandboxIsRefusedBeforeItStarts() throws Exception {
        Path tool = Files.createDirectories(dir.resolve("opt")).resolve("tool.sh");
        Files.writeString(tool, "#!/bin/sh\necho tool\n");
        assertThat(tool.toFile().setExecutable(true)).isTrue();
        assertThat(run(bind("free", sandbox("none"), commands(tool.toString())), tool.toString())).containsEntry("stdout", "tool\n");
        if (bwrapProblem != null) {
            assertForcedBwrapFails();
            return;
        }
        ProcessFunctions p = bind("boxed-tool", sandbox("bwrap"), commands(tool.toString()));
        assertThat(catchThrowable(() -> run(p, tool.toString()))).isInstanceOf(HostException.class)
                .hasMessageContaining("lies outside the process sandbox");
    }
}
