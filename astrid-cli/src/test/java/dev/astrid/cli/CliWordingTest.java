package dev.astrid.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.spi.ProviderSelection;
import dev.astrid.sys.abi.Family;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host library names {@code HostConfig} methods in its advice; the command line prints the
 * option to pass instead, and no {@code HostConfig} name.
 */
class CliWordingTest {
    @TempDir
    Path dir;

    private final CliRun cli = new CliRun();
    private final ByteArrayOutputStream out = cli.out;
    private final ByteArrayOutputStream err = cli.err;

    private int run(String... args) {
        return cli.run(dir.resolve("data"), args);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aWasiModuleWithoutWasiIsToldToRunWithTheOption() {
        Path wasm = Guests.copyTo("wasi-reactor", dir);
        assertThat(run("call", wasm.toString(), "run")).isEqualTo(2);
        assertThat(stderr()).contains("imports WASI preview 1").contains("run it with --wasi").doesNotContain("HostConfig");
    }

    @Test
    void missingConfigurationIsToldToUseTheConfigOption() throws IOException {
        Path c = Files.createDirectories(dir.resolve("needy"));
        Guests.copyTo("kernel-probe", c);
        Files.writeString(c.resolve("Capsule.toml"), "[package]\nname = \"needy\"\nversion = \"1.0.0\"\n"
                + "[[component]]\nfile = \"kernel-probe.wasm\"\n[env.API_URL]\ntype = \"text\"\n[env.TOKEN]\ntype = \"secret\"\n");
        assertThat(run("call", c.toString(), "echo", "--setting", "secrets.key-file=" + TestHosts.secretsKey(dir))).isEqualTo(2);
        assertThat(stderr()).contains("API_URL").contains("supply each with --config KEY=VALUE")
                .contains("TOKEN (a secret: set it with `astrid secret set needy TOKEN`)").doesNotContain("HostConfig");
    }

    @Test
    void aCallWithoutAllowedHostsIsToldToAllowOneWithTheOption() {
        Path wasm = Guests.copyTo("kernel-probe", dir);
        assertThat(run("call", wasm.toString(), "http", "--input", "{\"url\":\"http://example.com/\"}")).isEqualTo(1);
        assertThat(stderr()).contains("HTTP is not allowed for this plugin").contains("allow one with --allow-host")
                .doesNotContain("HostConfig");
    }

    @Test
    void aProviderTieIsToldToPickOneWithTheOption() {
        List<HostProvider> tied = List.of(clock("one"), clock("two"));
        assertThatThrownBy(() -> ProviderSelection.select(Family.CLOCK, tied, Optional.empty()))
                .satisfies(e -> assertThat(CliWording.of(e.getMessage())).contains("choose one with --provider clock=NAME")
                        .doesNotContain("HostConfig"));
    }

    private static HostProvider clock(String name) {
        return new HostProvider() {
            @Override public String name() { return name; }
            @Override public Family family() { return Family.CLOCK; }
            @Override public Object bind(CapsuleContext capsule) { throw new AssertionError("never bound"); }
        };
    }
}
