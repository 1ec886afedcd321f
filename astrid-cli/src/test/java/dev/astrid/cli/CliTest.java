package dev.astrid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.astrid.host.kv.SealedSecretStore;
import dev.astrid.sys.abi.AbiFunction;
import dev.astrid.sys.abi.ExtensionFunction;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The astrid command line, run in-process with real guests. */
class CliTest {
    @TempDir
    Path dir;

    private final CliRun cli = new CliRun();
    private final ByteArrayOutputStream out = cli.out;
    private final ByteArrayOutputStream err = cli.err;

    private int run(String... args) {
        return cli.run(dir.resolve("data"), args);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Runs {@code astrid ARGS...} as given (no data directory added); returns the exit code. */
    private int runBare(String... args) {
        return AstridCli.execute(args, new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void onlyTheNamedSubcommandIsBuiltYetHelpAndSuggestionsStillSeeEveryCommand() {
        List<String> commands = List.of("call", "tool", "run", "abi", "secret", "approvals", "help");
        assertThat(runBare("--help")).isZero();
        for (String c : commands) {
            assertThat(stdout()).containsPattern("(?m)^  " + c + " ");
        }
        out.reset();
        assertThat(runBare("help", "abi")).isZero();
        assertThat(stdout()).startsWith("Usage: astrid abi ");
        out.reset();
        assertThat(runBare("calll")).isEqualTo(2);
        assertThat(stderr()).contains("Unmatched argument at index 0: 'calll'").contains("astrid call");
        err.reset();
        // A named subcommand built alone prints the same usage as with every command built.
        assertThat(runBare("call")).isEqualTo(2);
        String alone = stderr();
        assertThat(runBare("help", "call")).isZero();
        assertThat(stdout()).startsWith("Usage: astrid call ");
        assertThat(alone).isEqualTo("Missing required parameters: 'MODULE', 'EXPORT'" + System.lineSeparator() + stdout());
    }

    @Test
    void callPrintsTheOutputBytesExactly() throws Exception {
        Path wasm = Guests.copyTo("kernel-probe", dir);
        assertThat(run("call", wasm.toString(), "echo", "--input", "héllo wörld")).isZero();
        assertThat(stdout()).isEqualTo("héllo wörld");
        Path input = dir.resolve("in.bin");
        Files.write(input, new byte[] {0, 1, 2, (byte) 0xff});
        out.reset();
        assertThat(run("call", wasm.toString(), "echo", "--input-file", input.toString(), "--interpreter")).isZero();
        assertThat(out.toByteArray()).containsExactly(0, 1, 2, 0xff);
        out.reset();
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream(new byte[] {9, 8, 7}));
            assertThat(run("call", wasm.toString(), "echo", "--input", "-")).isZero();
        } finally {
            System.setIn(stdin);
        }
        assertThat(out.toByteArray()).containsExactly(9, 8, 7);
    }

    @Test
    void aFailedCallPrintsOneLineNamingExportCapsuleAndReason() {
        Path wasm = Guests.copyTo("kernel-probe", dir);
        assertThat(run("call", wasm.toString(), "fail")).isEqualTo(1);
        assertThat(stdout()).isEmpty();
        assertThat(stderr()).isEqualTo("astrid: profile of kernel-probe: seed (no SDK version found in the module)" + System.lineSeparator()
                + "astrid: call to fail on capsule kernel-probe failed: boom" + System.lineSeparator());
        err.reset();
        assertThat(run("call", wasm.toString(), "spin", "--timeout-ms", "300")).isEqualTo(1);
        assertThat(stderr()).contains("call to spin on capsule kernel-probe failed: timed out after 300 ms");
    }

    @Test
    void loadErrorsAndUsageErrorsExitNonZeroWithAReason() {
        assertThat(run("call", dir.resolve("missing.wasm").toString(), "run")).isEqualTo(2);
        assertThat(stderr()).contains("cannot load").contains("no such file");
        err.reset();
        assertThat(run("call", Guests.copyTo("kernel-probe", dir).toString(), "echo", "--memory-max-mib", "0")).isNotZero();
        assertThat(stderr()).contains("--memory-max-mib must be between 1 and 4096");
        err.reset();
        assertThat(run("call", "x.wasm", "run", "--no-such-option")).isEqualTo(2);
        assertThat(stderr()).contains("Unknown option: '--no-such-option'");
    }

    @Test
    void theDefaultDataDirectoryIsTheHostDefaultOutsideTheCheckout() {
        Path dataDir = new HostOptions().toConfig().build().dataDir();
        assertThat(dataDir).isEqualTo(dev.astrid.reference.HostConfig.defaultDataDir().toAbsolutePath().normalize());
        assertThat(dataDir).isNotEqualTo(Path.of(".astrid").toAbsolutePath());
    }

    @Test
    void aDataDirectoryInsideTheWorkspaceIsRefusedBeforeAnythingRuns() {
        Path wasm = Guests.copyTo("kernel-probe", dir);
        assertThat(run("call", wasm.toString(), "echo", "--input", "x", "--workspace", dir.toString())).isEqualTo(1);
        assertThat(stdout()).isEmpty();
        assertThat(stderr()).startsWith("astrid: the data directory ").contains(dir.resolve("data").toString())
                .contains("lies inside the workspace " + dir).contains("--data-dir");
        assertThat(dir.resolve("data")).as("no state was created").doesNotExist();
    }

    @Test
    void toolSendsTheToolInputEncoding() {
        Path capsule = dir.resolve("toolbox");
        writeCapsule(capsule, "toolbox");
        assertThat(run("tool", capsule.toString(), "greet", "--args", "{\"who\":\"ada\"}")).isZero();
        StringBuilder bytes = new StringBuilder();
        for (byte b : "{\"who\":\"ada\"}".getBytes(StandardCharsets.UTF_8)) {
            bytes.append(bytes.length() == 0 ? "" : ",").append(b & 0xff);
        }
        assertThat(stdout()).isEqualTo("{\"name\":\"greet\",\"arguments\":[" + bytes + "]}");
        err.reset();
        assertThat(run("tool", capsule.toString(), "greet", "--args", "{not json")).isEqualTo(1);
        assertThat(stderr()).contains("--args is not valid JSON");
    }

    @Test
    void abiListsAllFunctionsWithTheirProviders() {
        assertThat(run("abi")).isZero();
        List<String> all = stdout().lines().toList();
        assertThat(all).hasSize(49 + 2 + ExtensionFunction.values().length);
        List<String> lines = all.subList(0, 49);
        assertThat(all.get(49)).isEmpty();
        assertThat(all.get(50)).startsWith("extensions beyond the 48");
        for (int i = 0; i < ExtensionFunction.values().length; i++) {
            ExtensionFunction fn = ExtensionFunction.values()[i];
            assertThat(all.get(51 + i)).startsWith("-   " + fn.symbol() + " ").contains(" http ")
                    .contains(fn.wasmSignature()).contains("astrid-host-http");
        }
        assertThat(lines.get(0)).startsWith("#").contains("provider");
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("astrid_kv_get").contains("(i64) -> i64").contains("astrid-reference-kv"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("astrid_read_file").contains("astrid-host-fs"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("astrid_ipc_publish").contains("astrid-host-ipc"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("astrid_identity_link").contains("astrid-host-identity"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("astrid_net_read").contains("astrid-host-net"));
        for (AbiFunction fn : List.of(AbiFunction.SPAWN_HOST, AbiFunction.SPAWN_BACKGROUND_HOST,
                AbiFunction.READ_PROCESS_LOGS_HOST, AbiFunction.KILL_PROCESS_HOST)) {
            assertThat(lines).as(fn.symbol()).anySatisfy(l -> assertThat(l).contains(fn.symbol() + " ")
                    .contains(" process ").contains("astrid-host-process"));
        }
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("astrid_http_request").contains("astrid-host-http"));
    }

    @Test
    void runStartsRunLoopsWaitsForReadinessAndPrintsIt() throws Exception {
        List<String> logged = new ArrayList<>();
        Handler h = new Handler() {
            @Override public void publish(LogRecord r) { synchronized (logged) { logged.add(r.getMessage()); } }
            @Override public void flush() {}
            @Override public void close() {}
        };
        Logger ping = Logger.getLogger("astrid.capsule.ping");
        ping.addHandler(h);
        try {
            Path examples = Path.of("..", "examples");
            Path ws = Files.createDirectories(dir.resolve("ws")); // beside the data directory, never around it
            int rc = run("run", examples.resolve("pong").toString(), examples.resolve("ping").toString(), "--for", "3s",
                    "--workspace", ws.toString());
            assertThat(rc).as(stderr()).isZero();
        } finally {
            ping.removeHandler(h);
        }
        assertThat(stdout()).contains("astrid: loaded pong 0.1.0", "astrid: loaded ping 0.1.0", "astrid: ready: pong after",
                "astrid: ready: ping after", "astrid: run loop of ping returned", "astrid: stopping");
        synchronized (logged) {
            assertThat(logged).contains("ping: this is run number 1 (counted in the KV store)", "ping: pong answered ping 1",
                    "ping: pong answered ping 3", "ping: done");
        }
    }

    @Test
    void pingAloneEndsItsRunLoopWithinItsTimeLimitAndSaysPongIsMissing() throws Exception {
        List<String> logged = new ArrayList<>();
        Handler h = new Handler() {
            @Override public void publish(LogRecord r) { synchronized (logged) { logged.add(r.getMessage()); } }
            @Override public void flush() {}
            @Override public void close() {}
        };
        Logger ping = Logger.getLogger("astrid.capsule.ping");
        ping.addHandler(h);
        try {
            Path ws = Files.createDirectories(dir.resolve("ws"));
            int rc = run("run", Path.of("..", "examples", "ping").toString(), "--for", "5s", "--workspace", ws.toString());
            assertThat(rc).as(stderr()).isZero();
        } finally {
            ping.removeHandler(h);
        }
        // "returned" is only reported when the run loop ends by itself, not when the time limit unloads it.
        assertThat(stdout()).contains("astrid: ready: ping after", "astrid: run loop of ping returned", "astrid: stopping");
        synchronized (logged) {
            assertThat(logged).contains(
                    "ping: no answer from pong to ping 1 within 1000 ms; is pong running? stopping the pings", "ping: done");
        }
    }

    @Test
    void secretSetStoresTheValueReadFromStdin() {
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream("s3cret\n".getBytes(StandardCharsets.UTF_8)));
            assertThat(run("secret", "set", "my-capsule", "api_key", "--setting",
                    "secrets.key-file=" + TestHosts.secretsKey(dir))).as(stderr()).isZero();
        } finally {
            System.setIn(stdin);
        }
        assertThat(stdout()).contains("secret api_key of my-capsule is set").doesNotContain("s3cret");
        try (SealedSecretStore s = TestHosts.secrets(dir)) {
            assertThat(s.get("capsule:my-capsule", "api_key").orElseThrow()).isEqualTo("s3cret".getBytes(StandardCharsets.UTF_8));
        }
        err.reset();
        assertThat(run("secret", "set", "my-capsule", "bad:key")).isNotZero();
        assertThat(stderr()).contains("must not contain ':'");
    }

    private static void writeCapsule(Path dir, String name) {
        try {
            Files.createDirectories(dir);
            Guests.copyTo("kernel-probe", dir);
            Files.writeString(dir.resolve("Capsule.toml"), "[package]\nname = \"" + name + "\"\nversion = \"1.0.0\"\n"
                    + "[[component]]\nfile = \"kernel-probe.wasm\"\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
