package dev.astrid.host.spi;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The one RFC 3339 formatter of the host: UTC, a fraction of 0, 3, 6 or 9 digits (the fewest that
 * keep the value exact), as upstream writes timestamps. Upstream spells UTC two ways on the wire,
 * and each family keeps its own: chrono's {@code to_rfc3339()} writes {@code +00:00} (the identity
 * family's answers and rows), chrono's serde writes {@code Z} (the bus's message timestamps).
 *
 * <p>The static {@link #format(Instant, Utc)} formats from scratch; an instance caches the text of
 * the current second for callers that stamp many values per second (thread-safe: the cache is one
 * immutable pair behind a volatile field).
 */
public final class Rfc3339 {
    /** How UTC is spelled at the end of a timestamp. */
    public enum Utc {
        /** {@code Z}, as chrono's serde and {@link Instant#toString()} write it. */
        Z("Z"),
        /** {@code +00:00}, as chrono's {@code DateTime::to_rfc3339()} writes it. */
        PLUS_00_00("+00:00");

        private final String suffix;

        Utc(String suffix) {
            this.suffix = suffix;
        }
    }

    private record Second(long epochSecond, String text) {}

    private final Utc utc;
    private volatile Second cached = new Second(Long.MIN_VALUE, "");

    /**
     * A formatter that caches the current second.
     *
     * @param utc how UTC is spelled
     */
    public Rfc3339(Utc utc) {
        this.utc = utc;
    }

    /**
     * Formats an instant, e.g. {@code 2026-03-16T12:34:56.123456Z}.
     *
     * @param t the instant
     * @return the timestamp text
     */
    public String format(Instant t) {
        long s = t.getEpochSecond();
        Second c = cached;
        if (c.epochSecond != s) {
            c = new Second(s, secondText(s));
            cached = c;
        }
        return withFraction(c.text, t.getNano(), utc);
    }

    /**
     * Formats an instant without a cache, e.g. {@code 2026-03-16T12:34:56.123456+00:00}.
     *
     * @param t the instant
     * @param utc how UTC is spelled
     * @return the timestamp text
     */
    public static String format(Instant t, Utc utc) {
        return withFraction(secondText(t.getEpochSecond()), t.getNano(), utc);
    }

    /**
     * Parses any RFC 3339 timestamp with an offset.
     *
     * @param text the timestamp text
     * @return the instant
     * @throws DateTimeParseException when the text is not one
     */
    public static Instant parse(String text) {
        return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    }

    // Date and time of a whole second, without the zone: Instant.toString always writes seconds.
    private static String secondText(long epochSecond) {
        String full = Instant.ofEpochSecond(epochSecond).toString();
        return full.substring(0, full.length() - 1);
    }

    private static String withFraction(String second, int nanos, Utc utc) {
        if (nanos == 0) {
            return second + utc.suffix;
        }
        StringBuilder sb = new StringBuilder(second.length() + 16).append(second).append('.');
        if (nanos % 1_000_000 == 0) {
            pad(sb, nanos / 1_000_000, 3);
        } else if (nanos % 1000 == 0) {
            pad(sb, nanos / 1000, 6);
        } else {
            pad(sb, nanos, 9);
        }
        return sb.append(utc.suffix).toString();
    }

    private static void pad(StringBuilder sb, int value, int digits) {
        String v = Integer.toString(value);
        for (int i = v.length(); i < digits; i++) {
            sb.append('0');
        }
        sb.append(v);
    }
}
