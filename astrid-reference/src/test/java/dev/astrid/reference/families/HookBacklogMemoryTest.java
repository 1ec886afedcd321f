package dev.astrid.reference.families;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A waiting interceptor cannot make the host run out of memory: its backlog draws on the capsule's
 * byte budget. Runs {@link HookBacklogProbe} in a JVM with a 160 MiB heap, where 48 messages of
 * 4 MiB (192 MiB) held for the waiting interceptor could not fit.
 */
class HookBacklogMemoryTest {
    @TempDir
    Path dir;

    @Test
    void aWaitingInterceptorsBacklogStaysWithinTheCapsuleBudget() throws Exception {
        List<String> path = new ArrayList<>();
        for (String prop : new String[] {"jdk.module.path", "java.class.path"}) {
            String v = System.getProperty(prop);
            if (v != null && !v.isEmpty()) {
                path.add(v);
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx160m", "-XX:+ExitOnOutOfMemoryError", "-cp",
                String.join(File.pathSeparator, path), HookBacklogProbe.class.getName(), dir.toString(), "24", "2")
                .redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
            }
        } finally {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        assertThat(lines).as("the probe's output").contains("published 48 of 48")
                .noneMatch(l -> l.startsWith("refused") || l.contains("OutOfMemoryError"));
        assertThat(p.exitValue()).as("exit status; output %s", lines).isZero();
    }
}
