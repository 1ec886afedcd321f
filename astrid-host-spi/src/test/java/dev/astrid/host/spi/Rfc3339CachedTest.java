package dev.astrid.host.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class Rfc3339CachedTest {

    @Test
    void formatsAsInstantToStringDoes() {
        Rfc3339 f = new Rfc3339(Rfc3339.Utc.Z);
        String[] samples = {"2026-03-16T12:34:56Z", "2026-03-16T12:34:56.100Z", "2026-03-16T12:34:56.123456Z",
            "2026-03-16T12:34:56.000001Z", "2026-03-16T12:34:56.123456789Z", "2026-03-16T12:34:56.000000001Z",
            "2026-03-16T12:34:57.5Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "2026-03-16T12:34:56.010Z"};
        for (String s : samples) {
            Instant t = Instant.parse(s);
            assertThat(f.format(t)).as(s).isEqualTo(t.toString());
            // a second call hits the cached second
            assertThat(f.format(t)).as(s).isEqualTo(t.toString());
        }
        Instant base = Instant.parse("2026-03-16T12:34:56Z");
        for (long n = 0; n < 3_000_000_000L; n += 7_777_777) {
            Instant t = base.plusNanos(n);
            assertThat(f.format(t)).isEqualTo(t.toString());
        }
    }
}
