package dev.astrid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.astrid.host.kv.SealedSecretStore;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI on a real terminal: {@code astrid run} is started in its own JVM under util-linux
 * {@code script}, which gives it a pseudo-terminal, and a "person" types the answers after each
 * prompt appears. The secret must not be echoed into the terminal's transcript, yet must reach the
 * secret store.
 */
class TerminalPromptTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** The transcript so far, read on a thread of its own. */
    private static final class Transcript {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Transcript(InputStream in) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[4096];
                try {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        synchronized (bytes) {
                            bytes.write(buf, 0, n);
                            bytes.notifyAll();
                        }
                    }
                } catch (java.io.IOException e) {
                    // the process ended; what was read stays
                }
            }, "transcript");
            t.setDaemon(true);
            t.start();
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }

        void awaitText(String wanted) throws InterruptedException {
            long end = System.nanoTime() + PATIENCE.toNanos();
            synchronized (bytes) {
                while (!bytes.toString(StandardCharsets.UTF_8).contains(wanted)) {
                    long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                    if (left <= 0) {
                        throw new AssertionError("no '" + wanted + "' on the terminal; it shows:\n" + bytes.toString(StandardCharsets.UTF_8));
                    }
                    bytes.wait(left);
                }
            }
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    @Test
    void aSecretTypedAtTheInstallPromptIsNotEchoedAndReachesTheSecretStore() throws Exception {
        Path capsule = Files.createDirectories(dir.resolve("onboard"));
        Guests.copyTo("onboarding", capsule);
        Files.writeString(capsule.resolve("Capsule.toml"), "[package]\nname = \"onboard\"\nversion = \"0.1.0\"\n\n"
                + "[[component]]\nid = \"onboard\"\nfile = \"onboarding.wasm\"\n");
        Path ws = Files.createDirectories(dir.resolve("ws"));
        String modulePath = System.getProperty("jdk.module.path");
        assertThat(modulePath).as("the tests run on the module path").isNotBlank();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-p", modulePath, "-m", "dev.astrid.cli/dev.astrid.cli.AstridCli", "run", capsule.toString(), "--for", "10m",
                "--data-dir", dir.resolve("data").toString(), "--workspace", ws.toString(),
                "--setting", "secrets.key-file=" + TestHosts.secretsKey(dir), "--log-level", "warn"));
        String line = String.join(" ", cmd.stream().map(TerminalPromptTest::quote).toArray(String[]::new));
        Process p = new ProcessBuilder("script", "-q", "-e", "-c", line, "/dev/null").redirectErrorStream(true).start();
        try {
            Transcript terminal = new Transcript(p.getInputStream());
            OutputStream keyboard = p.getOutputStream();
            terminal.awaitText("(not shown): ");
            keyboard.write("sk-typed-9d41\r".getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
            terminal.awaitText("Region to serve [eu]: ");
            keyboard.write("\r".getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
            terminal.awaitText("serving 1 capsule(s)");
            assertThat(terminal.text()).contains("capsule onboard asks for a secret, API key of the service (not shown): ")
                    .contains("ran astrid_install for onboard").doesNotContain("sk-typed-9d41");
        } finally {
            // Ending script closes the terminal: the command's JVM gets the hang-up and stops its host.
            List<ProcessHandle> command = p.descendants().collect(java.util.stream.Collectors.toList());
            p.destroy();
            if (!p.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            for (ProcessHandle h : command) {
                h.destroyForcibly();
                h.onExit().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            }
        }
        try (SealedSecretStore s = TestHosts.secrets(dir)) {
            assertThat(s.get("capsule:onboard", "api_key").map(v -> new String(v, StandardCharsets.UTF_8))).contains("sk-typed-9d41");
        }
        CliRun cli = new CliRun();
        assertThat(cli.run(dir.resolve("data"), "call", capsule.toString(), "region", "--workspace", ws.toString(),
                "--setting", "secrets.key-file=" + TestHosts.secretsKey(dir))).isZero();
        assertThat(cli.out.toString(StandardCharsets.UTF_8)).as("an empty line takes the default").isEqualTo("{\"value\":\"eu\"}");
    }
}
