package dev.astrid.host.spi;

/**
 * Makes text that came from a capsule safe to print inside one line of a terminal or a log file.
 *
 * <p>Escaped: the C0 controls (newline, carriage return, tab, escape, ...), DEL and the C1
 * controls as {@code \n}, {@code \r}, {@code \t} or {@code \xNN}; the bidirectional controls
 * (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) and the line and paragraph separators
 * (U+2028, U+2029) as {@code \}{@code uNNNN}. So a capsule can neither start a line that looks like
 * the host's, nor move the cursor, recolour or clear the terminal, nor reorder what follows.
 * Everything else, backslashes included, is kept, which makes escaping idempotent: text that
 * went through it twice reads the same as once.
 */
public final class PrintableText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private PrintableText() {}

    /** The text with every character above escaped; the same instance when there is none. */
    public static String escape(String text) {
        if (text == null) {
            return "null";
        }
        int i = 0;
        while (i < text.length() && !needsEscape(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length() + 16).append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!needsEscape(c)) {
                sb.append(c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c < 0x100) {
                sb.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else {
                sb.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf])
                        .append(HEX[c & 0xf]);
            }
        }
        return sb.toString();
    }

    private static boolean needsEscape(char c) {
        if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
            return true;
        }
        if (c < 0x61c) {
            return false;
        }
        return c == 0x61c || c == 0x200e || c == 0x200f || (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    }
}
