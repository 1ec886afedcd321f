package dev.astrid.host.identity.internal;

/**
 * String rules of the identity family, written to match upstream's Rust behaviour rather than
 * Java's nearest equivalents: {@code str::trim} uses the Unicode White_Space property (which
 * {@link String#strip()} does not quite do), and the platform is lowercased in ASCII only.
 */
public final class Text {
    private Text() {}

    /** Whether a code point has the Unicode White_Space property, as Rust's {@code char::is_whitespace}. */
    public static boolean isWhiteSpace(int cp) {
        // White_Space = the Zs, Zl and Zp categories plus TAB..CR and NEL.
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || Character.isSpaceChar(cp);
    }

    /** The string without leading and trailing White_Space. */
    public static String trim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isWhiteSpace(s.codePointAt(start))) {
            start += Character.charCount(s.codePointAt(start));
        }
        while (end > start && isWhiteSpace(s.codePointBefore(end))) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return s.substring(start, end);
    }

    /** Whether the string is empty or only White_Space. */
    public static boolean isBlank(String s) {
        return trim(s).isEmpty();
    }

    /** The string with {@code A-Z} lowercased and everything else untouched. */
    public static String asciiLowercase(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (sb == null) {
                    sb = new StringBuilder(s);
                }
                sb.setCharAt(i, (char) (c + ('a' - 'A')));
            }
        }
        return sb == null ? s : sb.toString();
    }

    /**
     * Whether the string is well-formed UTF-16, i.e. has no unpaired surrogate. Such a string has
     * no UTF-8 form: the database driver would silently replace the surrogate.
     */
    public static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** The string cut to at most {@code max} code points, for quoting user input in a message. */
    public static String preview(String s, int max) {
        if (s.codePointCount(0, s.length()) <= max) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, max)) + "...";
    }
}
