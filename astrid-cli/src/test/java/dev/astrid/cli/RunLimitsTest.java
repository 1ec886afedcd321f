package dev.astrid.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code astrid run} ends: an install hook that spins is cut by its timeout, and {@code --for}
 * bounds the whole run, install hooks and readiness waits included. The deadlines only keep a
 * regression from hanging the build; nothing here measures speed ({@code --for 5s} leaves loading
 * a tiny capsule ample time, so the cut lands in the step under test).
 */
class RunLimitsTest {
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--data-dir", dir.resolve("data").toString(), "--workspace", dir.resolve("ws").toString()));
        return assertTimeoutPreemptively(DEADLINE, () -> AstridCli.execute(all.toArray(new String[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private Path capsule(String guest) throws IOException {
        Files.createDirectories(dir.resolve("ws"));
        Path c = Files.createDirectories(dir.resolve(guest));
        Guests.copyTo(guest, c);
        Files.writeString(c.resolve("Capsule.toml"), "[package]\nname = \"" + guest + "\"\nversion = \"1.0.0\"\n"
                + "[[component]]\nfile = \"" + guest + ".wasm\"\n");
        return c;
    }

    @Test
    void forCutsAnInstallHookThatSpinsAndSaysSo() throws IOException {
        int rc = run("run", capsule("install-spin").toString(), "--for", "5s");
        assertThat(rc).as(stdout() + err.toString(StandardCharsets.UTF_8)).isEqualTo(1);
        assertThat(stdout()).contains("astrid: loaded install-spin 1.0.0",
                "astrid: stopped: --for 5000 ms is over while running the install hook of install-spin, which was cut short")
                .doesNotContain("ran astrid_install", "serving");
    }

    @Test
    void theInstallTimeoutEndsAnInstallHookThatSpins() throws IOException {
        int rc = run("run", capsule("install-spin").toString(), "--install-timeout", "300ms");
        assertThat(rc).isEqualTo(1);
        assertThat(stdout()).contains("astrid: the install hook of install-spin failed: timed out after 300 ms")
                .doesNotContain("serving");
        assertThat(Files.exists(dir.resolve("data/capsules/install-spin/installed-version")))
                .as("a failed install is not recorded as done").isFalse();
    }

    @Test
    void forCutsAReadinessWait() throws IOException {
        int rc = run("run", capsule("run-loop-probe").toString(), "--ready-timeout", "10m", "--for", "5s");
        assertThat(rc).isEqualTo(1);
        assertThat(stdout()).contains("astrid: stopped: --for 5000 ms is over while waiting for run-loop-probe to signal "
                + "readiness, which was cut short").doesNotContain("serving");
    }
}
