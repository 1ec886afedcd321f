package dev.astrid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --profile} on call and run, and the line saying which profile each capsule got and why. */
class ProfileOptionTest {
    @TempDir
    Path dir;

    private final CliRun cli = new CliRun();

    private int run(String... args) {
        cli.out.reset();
        cli.err.reset();
        return cli.run(dir.resolve("data"), args);
    }

    private String stderr() {
        return cli.err.toString(StandardCharsets.UTF_8);
    }

    private String stdout() {
        return cli.out.toString(StandardCharsets.UTF_8);
    }

    /** A capsule of the stamped guest (astrid-sdk-0.5.2 in its data), its manifest naming astridSdk unless null. */
    private Path capsule(String name, String astridSdk) throws Exception {
        Path c = Files.createDirectories(dir.resolve(name));
        Guests.copyTo("sdk-stamped", c);
        Files.writeString(c.resolve("Capsule.toml"), "[package]\nname = \"" + name + "\"\nversion = \"0.1.0\"\n"
                + (astridSdk == null ? "" : "astrid-sdk = \"" + astridSdk + "\"\n") + "[[component]]\nfile = \"sdk-stamped.wasm\"\n");
        return c;
    }

    @Test
    void callSaysOnStderrWhichProfileAndWhyAndKeepsStdoutTheExportsOutput() throws Exception {
        Path probe = Guests.copyTo("kernel-probe", dir);
        assertThat(run("call", probe.toString(), "echo", "--input", "abc")).as(stderr()).isZero();
        assertThat(stdout()).isEqualTo("abc");
        assertThat(stderr()).isEqualTo("astrid: profile of kernel-probe: seed (no SDK version found in the module)" + System.lineSeparator());

        Path detected = capsule("detected", null);
        assertThat(run("call", detected.toString(), "hello")).as(stderr()).isZero();
        assertThat(stderr()).contains("astrid: profile of detected: 0.5 (detected astrid-sdk-0.5.2 in the module; "
                + "preferred over astrid-sys-0.4.0)");
        Path manifest = capsule("manifest", "0.4.1");
        assertThat(run("call", manifest.toString(), "hello")).isZero();
        // The stamped module says 0.5.2: the manifest's profile stands, named beside it, with a warning.
        assertThat(stderr()).contains("astrid: profile of manifest: 0.4 (from Capsule.toml astrid-sdk = \"0.4.1\", but the module was built with astrid-sdk-0.5.2, whose profile is 0.5)")
                .contains("manifest runs with SDK profile 0.4, but the module was built with astrid-sdk-0.5.2, whose profile is 0.5; if its calls misread their results, give manifest profile 0.5");
    }

    @Test
    void theOptionsWinPerCapsuleFirstAndTheLaterHostWideOneWins() throws Exception {
        Path manifest = capsule("manifest", "0.4");
        assertThat(run("call", manifest.toString(), "hello", "--profile", "0.3")).isZero();
        assertThat(stderr()).contains("astrid: profile of manifest: 0.3 (from --profile 0.3, but the module was built with astrid-sdk-0.5.2, whose profile is 0.5)");
        assertThat(run("call", manifest.toString(), "hello", "--profile", "0.3", "--profile", "manifest=seed", "--profile", "0.5.0"))
                .isZero();
        assertThat(stderr()).contains("astrid: profile of manifest: seed (from --profile manifest=seed, but the module was built with astrid-sdk-0.5.2, whose profile is 0.5)");
        assertThat(run("call", manifest.toString(), "hello", "--profile", "other=seed", "--profile", "0.3", "--profile", "0.5.0"))
                .isZero();
        assertThat(stderr()).contains("astrid: profile of manifest: 0.5 (from --profile 0.5)");
    }

    @Test
    void badValuesAreUsageErrorsNamingTheAcceptedOnes() throws Exception {
        Path manifest = capsule("manifest", null);
        assertThat(run("call", manifest.toString(), "hello", "--profile", "0.7")).isEqualTo(2);
        assertThat(stderr()).contains("Invalid value for option '--profile'")
                .contains("unknown SDK profile '0.7': use one of seed, 0.3, 0.4, 0.5").contains("Usage: astrid call");
        assertThat(run("call", manifest.toString(), "hello", "--profile", "=0.4")).isEqualTo(2);
        assertThat(stderr()).contains("names no capsule before '='");
        assertThat(run("call", manifest.toString(), "hello", "--profile", "manifest=")).isEqualTo(2);
        assertThat(stderr()).contains("unknown SDK profile ''");
        assertThat(run("run", manifest.toString(), "--for", "1s", "--profile", "Bad Name=0.4")).isEqualTo(2);
        assertThat(stderr()).contains("names no capsule before '='");
        Path bad = capsule("bad", "nine");
        assertThat(run("call", bad.toString(), "hello")).isEqualTo(2);
        assertThat(stderr()).contains("package.astrid-sdk: unknown SDK profile 'nine': use one of seed, 0.3, 0.4, 0.5");
    }

    @Test
    void runPrintsOneProfileLinePerCapsule() throws Exception {
        Path a = capsule("a", "0.3");
        Path b = capsule("b", null);
        Path ws = Files.createDirectories(dir.resolve("ws"));
        assertThat(run("run", a.toString(), b.toString(), "--for", "1s", "--workspace", ws.toString(), "--profile", "b=0.4"))
                .as(stdout() + stderr()).isZero();
        assertThat(stdout()).contains("astrid: profile of a: 0.3 (from Capsule.toml astrid-sdk = \"0.3\", but the module was built with astrid-sdk-0.5.2, whose profile is 0.5)" + System.lineSeparator())
                .contains("astrid: profile of b: 0.4 (from --profile b=0.4, but the module was built with astrid-sdk-0.5.2, whose profile is 0.5)" + System.lineSeparator());
    }
}
