package dev.astrid.host.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kills a JVM that is writing keys and checks that every write it acknowledged is on disk. */
class KvCrashTest {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedWriteSurvivesKillNine() throws Exception {
        Path file = dir.resolve("kv.db");
        Process p = ChildJvm.of(List.of(), KvCrashWriter.class, file.toString()).start();
        long lastAck = -1;
        List<String> other = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("ack ")) {
                    lastAck = Long.parseLong(line.substring(4));
                    if (lastAck >= 300) {
                        p.destroyForcibly();
                        break;
                    }
                } else {
                    other.add(line);
                }
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(lastAck).as("the writer printed: %s", other).isGreaterThanOrEqualTo(300);
        assertThat(p.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        try (KvStore store = KvStore.open(file, false)) {
            for (long i = 0; i <= lastAck; i++) {
                assertThat(store.get("capsule:crash", ("key-" + i).getBytes(StandardCharsets.UTF_8)))
                        .as("acknowledged key-%d", i).isNotNull().hasSize(100);
            }
        }
    }
}
