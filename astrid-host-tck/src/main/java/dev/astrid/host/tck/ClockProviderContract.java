package dev.astrid.host.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.astrid.sys.abi.ClockFunctions;
import dev.astrid.sys.abi.Family;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What every provider of {@code astrid_clock_ms} must do: answer the capsule's
 * {@link dev.astrid.host.spi.CapsuleContext#clock() clock} (never the system clock directly, so a
 * host can drive time) as decimal milliseconds since the Unix epoch in ASCII digits, without sign,
 * leading zeros or spaces, and {@code 0} for any instant before the epoch.
 *
 * <p>Extend it and implement {@link #createProvider()}. The tests drive a clock of their own; none
 * measures time.
 */
public abstract class ClockProviderContract extends ProviderContract<ClockFunctions> {
    private static final String DECIMAL = "0|[1-9][0-9]*";

    @Override
    protected final Family family() {
        return Family.CLOCK;
    }

    @AfterEach
    void closeClockProvider() {
        provider.close();
    }

    /** A clock the test moves by hand. */
    private static final class HandClock extends Clock {
        private volatile Instant now;

        HandClock(Instant start) {
            this.now = start;
        }

        void set(Instant t) {
            now = t;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private ClockFunctions clockAt(String id, Clock clock) {
        return bind(host.capsule(id).clock(clock).build());
    }

    /** The provider is found as a host finds it. */
    @Test
    void isRegisteredForServiceLoader() {
        assertRegisteredAsService();
    }

    /** {@code astrid_clock_ms}. */
    @Nested
    class ClockMs {
        @Test
        void answersTheCapsulesClockInDecimalMilliseconds() {
            ClockFunctions clock = clockAt("alpha", Clock.fixed(Instant.ofEpochMilli(1_795_480_552_810L), ZoneOffset.UTC));
            assertThat(s(clock.clockMs())).isEqualTo("1795480552810");
        }

        @Test
        void followsTheClockAsItMoves() {
            HandClock hand = new HandClock(Instant.ofEpochMilli(1_000));
            ClockFunctions clock = clockAt("alpha", hand);
            assertThat(s(clock.clockMs())).isEqualTo("1000");
            hand.set(Instant.ofEpochMilli(1_001));
            assertThat(s(clock.clockMs())).isEqualTo("1001");
            hand.set(Instant.ofEpochSecond(4_102_444_800L, 999_999_999));
            assertThat(s(clock.clockMs())).as("sub-millisecond parts are cut, not rounded").isEqualTo("4102444800999");
        }

        @Test
        void theEpochIsZeroAndEarlierInstantsAreZeroToo() {
            HandClock hand = new HandClock(Instant.EPOCH);
            ClockFunctions clock = clockAt("alpha", hand);
            assertThat(s(clock.clockMs())).isEqualTo("0");
            hand.set(Instant.EPOCH.minusMillis(1));
            assertThat(s(clock.clockMs())).isEqualTo("0");
            hand.set(Instant.parse("1969-07-20T20:17:40Z"));
            assertThat(s(clock.clockMs())).isEqualTo("0");
        }

        @Test
        void eachCapsuleHasItsOwnClock() {
            ClockFunctions a = clockAt("alpha", Clock.fixed(Instant.ofEpochMilli(5), ZoneOffset.UTC));
            ClockFunctions b = clockAt("beta", Clock.fixed(Instant.ofEpochMilli(7), ZoneOffset.UTC));
            assertThat(s(a.clockMs())).isEqualTo("5");
            assertThat(s(b.clockMs())).isEqualTo("7");
        }

        @Test
        void theSystemClockGivesAPlainDecimal() {
            long before = Clock.systemUTC().millis();
            String answer = s(clockAt("alpha", Clock.systemUTC()).clockMs());
            assertThat(answer).matches(DECIMAL);
            assertThat(Long.parseLong(answer)).isGreaterThanOrEqualTo(before);
        }
    }
}
