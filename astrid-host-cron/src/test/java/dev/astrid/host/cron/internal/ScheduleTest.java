package dev.astrid.host.cron.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ScheduleTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static Schedule parse(String s) {
        return Schedule.parse(s, ZoneOffset.UTC, NOW);
    }

    @Test
    void everyTakesDaysHoursMinutesAndSecondsInThatOrder() {
        assertThat(parse("@every 30s").first(NOW)).contains(NOW.plusSeconds(30));
        assertThat(parse("@every 5m").first(NOW)).contains(NOW.plus(Duration.ofMinutes(5)));
        assertThat(parse("@every 1h30m").first(NOW)).contains(NOW.plus(Duration.ofMinutes(90)));
        assertThat(parse("@every  2d1s").first(NOW)).contains(NOW.plus(Duration.ofDays(2)).plusSeconds(1));
        assertThat(parse("@every 366d").first(NOW)).contains(NOW.plus(Duration.ofDays(366)));
        assertThatThrownBy(() -> parse("@every 367d")).hasMessageContaining("at most 366d");
        assertThatThrownBy(() -> parse("@every 0s")).hasMessageContaining("at least 1s");
        assertThatThrownBy(() -> parse("@every 30m1h")).hasMessageContaining("in that order");
        assertThatThrownBy(() -> parse("@every 1.5h")).hasMessageContaining("in that order");
    }

    @Test
    void anIntervalKeepsItsRhythmUnlessItFellBehind() {
        Schedule s = parse("@every 10s");
        Instant due = NOW.plusSeconds(10);
        assertThat(s.following(due, due.plusSeconds(3))).contains(NOW.plusSeconds(20));
        assertThat(s.following(due, due.plusSeconds(25))).as("no burst for the missed times").contains(due.plusSeconds(35));
    }

    @Test
    void cronTimesAreStrictlyAfterNowAndReadInTheZone() {
        assertThat(parse("*/15 * * * *").first(NOW)).contains(NOW.plus(Duration.ofMinutes(15)));
        assertThat(parse("0 0 * * *").first(NOW)).as("midnight now is not next").contains(NOW.plus(Duration.ofDays(1)));
        Schedule paris = Schedule.parse("0 9 * * *", ZoneId.of("Europe/Paris"), NOW);
        assertThat(paris.first(NOW)).contains(Instant.parse("2026-01-01T08:00:00Z"));
        Schedule summer = Schedule.parse("0 9 * * *", ZoneId.of("Europe/Paris"), Instant.parse("2026-07-01T00:00:00Z"));
        assertThat(summer.first(Instant.parse("2026-07-01T00:00:00Z"))).contains(Instant.parse("2026-07-01T07:00:00Z"));
        assertThat(parse("5,35 */2 * * *").first(NOW)).contains(NOW.plus(Duration.ofMinutes(5)));
        assertThat(parse("5,35 */2 * * *").first(NOW.plus(Duration.ofMinutes(40)))).contains(NOW.plus(Duration.ofMinutes(125)));
        assertThat(parse("0 0 * * MON-FRI").first(NOW)).as("Friday the 2nd").contains(Instant.parse("2026-01-02T00:00:00Z"));
    }

    @Test
    void macrosAreTheirExpressions() {
        assertThat(parse("@hourly").first(NOW)).contains(NOW.plus(Duration.ofHours(1)));
        assertThat(parse("@daily").first(NOW)).isEqualTo(parse("@midnight").first(NOW));
        assertThat(parse("@weekly").first(NOW)).as("Sunday the 4th").contains(Instant.parse("2026-01-04T00:00:00Z"));
        assertThat(parse("@monthly").first(NOW)).contains(Instant.parse("2026-02-01T00:00:00Z"));
        assertThat(parse("@yearly").first(NOW)).isEqualTo(parse("@annually").first(NOW))
                .contains(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(parse(" @hourly ").text()).isEqualTo("@hourly");
    }

    @Test
    void reasonsComeFromTheParserWithoutItsPreamble() {
        assertThatThrownBy(() -> parse("61 * * * *")).hasMessage("Value 61 not in range [0, 59]");
        assertThatThrownBy(() -> parse("* * * *")).hasMessageContaining("4 parts");
        assertThatThrownBy(() -> parse("0 0 31 2 *")).hasMessageContaining("never fires");
        assertThatThrownBy(() -> parse("@reboot")).hasMessageContaining("not supported");
        assertThatThrownBy(() -> parse("* * * * \u0007")).hasMessageContaining("printable ASCII");
    }
}
