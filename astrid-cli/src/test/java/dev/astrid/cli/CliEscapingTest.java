package dev.astrid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Text a capsule chose (log lines, its error, uplink messages) cannot forge host lines or drive the terminal. */
class CliEscapingTest {
    private static final String FORGED = "x\nastrid: ready: forged\u001b[2J\u202e";

    @TempDir
    Path dir;

    private final CliRun cli = new CliRun();
    private final ByteArrayOutputStream out = cli.out;
    private final ByteArrayOutputStream err = cli.err;

    private int run(String... args) {
        return cli.run(dir.resolve("data"), args);
    }

    private static void assertNoForgedLineOrControl(String printed) {
        assertThat(printed.lines()).noneMatch(l -> l.startsWith("astrid: ready: forged"));
        assertThat(printed.chars()).noneMatch(c -> c == 0x1b || c == 0x202e || c == '\r' || c == 0x85);
    }

    @Test
    void logLinesFromBothLogPathsArePrintedEscaped() {
        Path wasm = Guests.copyTo("hostile-kernel", dir);
        assertThat(run("call", wasm.toString(), "log_both", "--input", FORGED)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        String printed = err.toString(StandardCharsets.UTF_8);
        assertNoForgedLineOrControl(printed);
        assertThat(printed.lines().filter(l -> l.equals("[hostile-kernel] INFO x\\nastrid: ready: forged\\x1b[2J\\u202e")))
                .hasSize(2);
    }

    @Test
    void aFailedCallPrintsTheGuestsErrorOnOneEscapedLine() {
        Path wasm = Guests.copyTo("hostile-kernel", dir);
        assertThat(run("call", wasm.toString(), "fail_forged")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
                "astrid: profile of hostile-kernel: seed (no SDK version found in the module)" + System.lineSeparator()
                        + "astrid: call to fail_forged on capsule hostile-kernel failed: boom\\nastrid: ready: forged\\x1b[2J"
                        + System.lineSeparator());
    }

    @Test
    void uplinkMessagesUnderRunArePrintedEscaped() throws IOException {
        Path capsule = Files.createDirectories(dir.resolve("uplink-forge"));
        Guests.copyTo("uplink-forge", capsule);
        Files.writeString(capsule.resolve("Capsule.toml"), "[package]\nname = \"uplink-forge\"\nversion = \"1.0.0\"\n"
                + "[capabilities]\nuplink = true\n[[component]]\nfile = \"uplink-forge.wasm\"\n");
        Path ws = Files.createDirectories(dir.resolve("ws"));
        assertThat(run("run", capsule.toString(), "--for", "3s", "--workspace", ws.toString()))
                .as(err.toString(StandardCharsets.UTF_8)).isZero();
        String printed = out.toString(StandardCharsets.UTF_8);
        assertNoForgedLineOrControl(printed);
        assertThat(printed).contains("uplink uplink-forge/chat -> user\\nastrid: ready: forged-user: "
                + "hi\\nastrid: ready: forged\\x1b[2J\\u202e" + System.lineSeparator(), "astrid: ready: uplink-forge after",
                "astrid: stopping (--for 3000 ms is over)");
    }
}
