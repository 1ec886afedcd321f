package dev.astrid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compiled-module cache as the command line uses it. */
class ModuleCacheCliTest {
    @TempDir
    Path dir;

    private final CliRun cli = new CliRun();

    private String call(Path data, String... extra) {
        cli.out.reset();
        String[] args = Stream.concat(Stream.of("call", Guests.copyTo("kernel-probe", dir).toString(), "echo", "--input", "same"),
                Stream.of(extra)).toArray(String[]::new);
        assertThat(cli.run(data, args)).as(cli.err.toString(StandardCharsets.UTF_8)).isZero();
        return cli.out.toString(StandardCharsets.UTF_8);
    }

    private static List<String> entries(Path data) throws IOException {
        try (Stream<Path> s = Files.list(data.resolve("cache").resolve("modules"))) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    void aSecondCallUsesTheEntryTheFirstOneStored() throws IOException {
        Path data = dir.resolve("data");
        assertThat(call(data)).isEqualTo("same");
        List<String> first = entries(data);
        assertThat(first).hasSize(1).allMatch(n -> n.endsWith(".entry"));
        assertThat(data.resolve("cache").resolve("module-cache.key")).isRegularFile();
        assertThat(call(data)).isEqualTo("same");
        assertThat(entries(data)).isEqualTo(first);
    }

    @Test
    void noCacheWritesNothing() {
        Path data = dir.resolve("data");
        assertThat(call(data, "--no-cache")).isEqualTo("same");
        assertThat(data.resolve("cache")).doesNotExist();
    }

    @Test
    void theCacheBoundIsChecked() {
        assertThat(cli.run(dir.resolve("data"), "call", Guests.copyTo("kernel-probe", dir).toString(), "echo",
                "--cache-max-mib", "0")).isNotZero();
        assertThat(cli.err.toString(StandardCharsets.UTF_8)).contains("--cache-max-mib must be between 1 and 1048576");
    }
}
