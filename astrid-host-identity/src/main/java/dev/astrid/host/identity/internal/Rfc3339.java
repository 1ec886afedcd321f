package dev.astrid.host.identity.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Timestamps in the form upstream's {@code DateTime::to_rfc3339()} writes: UTC as {@code +00:00}
 * (not {@code Z}) and a fraction of 0, 3, 6 or 9 digits, the fewest that keep the value exact.
 */
public final class Rfc3339 {
    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT);

    private Rfc3339() {}

    /** Formats an instant, e.g. {@code 2026-03-16T12:34:56.123456+00:00}. */
    public static String format(Instant t) {
        LocalDateTime utc = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
        return SECONDS.format(utc) + fraction(t.getNano()) + "+00:00";
    }

    private static String fraction(int nanos) {
        if (nanos == 0) {
            return "";
        }
        if (nanos % 1_000_000 == 0) {
            return String.format(Locale.ROOT, ".%03d", nanos / 1_000_000);
        }
        if (nanos % 1_000 == 0) {
            return String.format(Locale.ROOT, ".%06d", nanos / 1_000);
        }
        return String.format(Locale.ROOT, ".%09d", nanos);
    }

    /**
     * Parses any RFC 3339 timestamp with an offset.
     *
     * @throws DateTimeParseException when the text is not one
     */
    public static Instant parse(String text) {
        return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    }
}
