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

/**
 * The read cache accounts for the heap it really retains: measured in a JVM of its own, after
 * full collections by the serial collector, against what the cache says it holds.
 */
class KvCacheAccountingTest {
    @TempDir
    Path dir;

    @Test
    void theCacheAccountsForTheHeapItRetainsAndBoundsAbsentKeys() throws Exception {
        Process p = ChildJvm.of(List.of("-XX:+UseSerialGC", "-Xms256m", "-Xmx256m"), KvCacheProbe.class,
                dir.resolve("kv.db").toString()).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
            }
        } finally {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the probe ended: %s", lines).isTrue();
        }
        assertThat(p.exitValue()).as("the probe printed %s", lines).isZero();
        long[] absent = phase(lines, "absent");
        long[] values = phase(lines, "values");
        // the absent-key share of the 32 MiB cache is a quarter
        assertThat(absent[0]).isPositive().isLessThanOrEqualTo(8L << 20);
        assertThat(values[0]).isLessThanOrEqualTo(32L << 20);
        for (long[] ph : new long[][] {absent, values}) {
            assertThat(ph[1]).as("retained heap within 5%% + 256 KiB of the %d bytes accounted", ph[0])
                    .isLessThanOrEqualTo(ph[0] + ph[0] / 20 + 256 * 1024);
            assertThat(ph[0]).as("accounted bytes not far above the %d retained", ph[1]).isLessThanOrEqualTo(ph[1] * 3 / 2);
        }
    }

    private static long[] phase(List<String> lines, String name) {
        for (String l : lines) {
            String[] f = l.split(" ");
            if (f.length == 3 && f[0].equals(name)) {
                return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])};
            }
        }
        throw new AssertionError("the probe printed no " + name + " line: " + lines);
    }
}
