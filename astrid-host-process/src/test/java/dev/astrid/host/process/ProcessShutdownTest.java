package dev.astrid.host.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.astrid.host.tck.HostProcesses;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A JVM that exits without closing anything still leaves no process: the provider's shutdown hook kills them. */
class ProcessShutdownTest {
    @TempDir
    Path dir;

    @Test
    void theJvmsExitKillsEveryProcessEvenUnsandboxed() throws Exception {
        String marker = HostProcesses.marker();
        Process child = childJvm(ExitingHost.class, dir.toString(), marker).start();
        String said = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child JVM exited").isTrue();
        assertThat(said).as("the child's output").contains("started");
        assertThat(child.exitValue()).isZero();
        assertThat(HostProcesses.awaitGone(marker, Duration.ofSeconds(30)))
                .as("processes left by the exited JVM: %s", HostProcesses.pids(marker)).isTrue();
    }

    /** {@code java -cp <this JVM's module and class path> <main> <args>}. */
    private static ProcessBuilder childJvm(Class<?> main, String... args) {
        List<String> path = new ArrayList<>();
        for (String prop : new String[] {"jdk.module.path", "java.class.path"}) {
            String v = System.getProperty(prop);
            if (v != null && !v.isEmpty()) {
                path.add(v);
            }
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                String.join(File.pathSeparator, path), main.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true);
    }
}
