package dev.astrid.host.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** chrono's to_rfc3339: +00:00, and 0, 3, 6 or 9 fraction digits. */
class Rfc3339Test {

    @ParameterizedTest
    @CsvSource({
        "2026-03-16T12:34:56Z,           2026-03-16T12:34:56+00:00",
        "2026-03-16T12:34:56.100Z,       2026-03-16T12:34:56.100+00:00",
        "2026-03-16T12:34:56.123Z,       2026-03-16T12:34:56.123+00:00",
        "2026-03-16T12:34:56.000100Z,    2026-03-16T12:34:56.000100+00:00",
        "2026-03-16T12:34:56.123456Z,    2026-03-16T12:34:56.123456+00:00",
        "2026-03-16T12:34:56.000000001Z, 2026-03-16T12:34:56.000000001+00:00",
        "2026-03-16T12:34:56.123456789Z, 2026-03-16T12:34:56.123456789+00:00",
        "1970-01-01T00:00:00Z,           1970-01-01T00:00:00+00:00",
    })
    void formatsLikeChrono(String instant, String expected) {
        assertThat(Rfc3339.format(Instant.parse(instant), Rfc3339.Utc.PLUS_00_00)).isEqualTo(expected);
        assertThat(Rfc3339.parse(expected)).isEqualTo(Instant.parse(instant));
    }

    @ParameterizedTest
    @CsvSource({
        "2026-03-16T12:34:56Z,            2026-03-16T12:34:56Z",
        "2026-03-16T14:34:56.5+02:00,     2026-03-16T12:34:56.5Z",
    })
    void parsesAnyOffset(String text, String instant) {
        assertThat(Rfc3339.parse(text)).isEqualTo(Instant.parse(instant));
    }

    @ParameterizedTest
    @CsvSource({"yesterday", "2026-03-16", "2026-03-16T12:34:56"})
    void refusesWhatIsNotATimestampWithOffset(String text) {
        assertThatThrownBy(() -> Rfc3339.parse(text)).isInstanceOf(DateTimeParseException.class);
    }
}
