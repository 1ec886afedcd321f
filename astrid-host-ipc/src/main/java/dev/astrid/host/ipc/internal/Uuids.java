package dev.astrid.host.ipc.internal;

import java.util.UUID;

/**
 * UUID parsing with the forms Rust's {@code Uuid::parse_str} accepts: hyphenated, simple (32 hex
 * digits), braced and URN. {@link UUID#fromString} is looser (it accepts {@code 1-1-1-1-1}), so it
 * is only used after the shape has been checked.
 */
final class Uuids {
    private Uuids() {}

    /** The UUID, or null when the text is not one. */
    static UUID parse(String s) {
        String t = s;
        if (t.length() == 45 && t.regionMatches(true, 0, "urn:uuid:", 0, 9)) {
            t = t.substring(9);
        } else if (t.length() == 38 && t.charAt(0) == '{' && t.charAt(37) == '}') {
            t = t.substring(1, 37);
        }
        if (t.length() == 32 && isHex(t, 0, 32)) {
            t = t.substring(0, 8) + "-" + t.substring(8, 12) + "-" + t.substring(12, 16) + "-" + t.substring(16, 20)
                    + "-" + t.substring(20);
        }
        if (t.length() != 36 || t.charAt(8) != '-' || t.charAt(13) != '-' || t.charAt(18) != '-' || t.charAt(23) != '-'
                || !isHex(t, 0, 8) || !isHex(t, 9, 13) || !isHex(t, 14, 18) || !isHex(t, 19, 23) || !isHex(t, 24, 36)) {
            return null;
        }
        return UUID.fromString(t);
    }

    private static boolean isHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.digit(s.charAt(i), 16) < 0 || s.charAt(i) > 'f') {
                return false;
            }
        }
        return true;
    }
}
