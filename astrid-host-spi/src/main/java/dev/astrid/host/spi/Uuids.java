package dev.astrid.host.spi;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The one UUID parser of the host, as strict as upstream's {@code Uuid::parse_str}: hyphenated
 * (36 characters), simple (32 hex digits), braced hyphenated ({@code {…}}) or lowercase
 * {@code urn:uuid:} plus hyphenated; hex digits in any case. {@link UUID#fromString} is too lenient
 * (it takes {@code 1-2-3-4-5}), so it only sees text whose shape has been checked.
 */
public final class Uuids {
    private static final String EXAMPLE = "67e55044-10b1-426f-9247-bb680e5fe0c8";
    private static final String URN = "urn:uuid:";
    private static final int PREVIEW = 64;

    private Uuids() {}

    /**
     * The UUID a string spells, if it spells one.
     *
     * @param text the text
     * @return the UUID, or empty when the text is not one of the accepted forms
     */
    public static Optional<UUID> parse(String text) {
        String body;
        if (text.length() == 32) {
            body = isHex(text, 0, 32) ? text.substring(0, 8) + "-" + text.substring(8, 12) + "-"
                    + text.substring(12, 16) + "-" + text.substring(16, 20) + "-" + text.substring(20) : null;
        } else if (text.length() == 36) {
            body = text;
        } else if (text.length() == 38 && text.charAt(0) == '{' && text.charAt(37) == '}') {
            body = text.substring(1, 37);
        } else if (text.length() == 45 && text.startsWith(URN)) {
            body = text.substring(URN.length());
        } else {
            body = null;
        }
        if (body == null || !isHyphenated(body)) {
            return Optional.empty();
        }
        return Optional.of(UUID.fromString(body.toLowerCase(Locale.ROOT)));
    }

    /**
     * The UUID a string spells.
     *
     * @param text the text
     * @return the UUID
     * @throws IllegalArgumentException with the reason, quoting at most 64 characters of the text
     */
    public static UUID require(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException(
                "expected a UUID such as " + EXAMPLE + ", got \"" + preview(text) + "\""));
    }

    private static boolean isHyphenated(String s) {
        return s.length() == 36 && s.charAt(8) == '-' && s.charAt(13) == '-' && s.charAt(18) == '-'
                && s.charAt(23) == '-' && isHex(s, 0, 8) && isHex(s, 9, 13) && isHex(s, 14, 18)
                && isHex(s, 19, 23) && isHex(s, 24, 36);
    }

    // ASCII only: Character.digit would also take other scripts' digits.
    private static boolean isHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    private static String preview(String s) {
        if (s.codePointCount(0, s.length()) <= PREVIEW) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, PREVIEW)) + "...";
    }
}
