package dev.astrid.host.ipc.internal;

import java.time.Instant;

/**
 * Formats instants as {@link Instant#toString()} does (RFC 3339, UTC, {@code Z}, a fraction of 0,
 * 3, 6 or 9 digits, which is also how upstream's serde writes them), but fast: the date and time
 * of the current second are formatted once and reused, since a busy bus stamps many messages per
 * second. Thread-safe: the cache is one immutable pair behind a volatile field.
 */
final class Rfc3339 {
    private record Second(long epochSecond, String text) {}

    private volatile Second cached = new Second(Long.MIN_VALUE, "");

    String format(Instant t) {
        long s = t.getEpochSecond();
        Second c = cached;
        if (c.epochSecond != s) {
            String full = Instant.ofEpochSecond(s).toString();
            c = new Second(s, full.substring(0, full.length() - 1));
            cached = c;
        }
        int nanos = t.getNano();
        if (nanos == 0) {
            return c.text + 'Z';
        }
        StringBuilder sb = new StringBuilder(c.text.length() + 11).append(c.text).append('.');
        if (nanos % 1_000_000 == 0) {
            pad(sb, nanos / 1_000_000, 3);
        } else if (nanos % 1000 == 0) {
            pad(sb, nanos / 1000, 6);
        } else {
            pad(sb, nanos, 9);
        }
        return sb.append('Z').toString();
    }

    private static void pad(StringBuilder sb, int value, int digits) {
        String v = Integer.toString(value);
        for (int i = v.length(); i < digits; i++) {
            sb.append('0');
        }
        sb.append(v);
    }
}
