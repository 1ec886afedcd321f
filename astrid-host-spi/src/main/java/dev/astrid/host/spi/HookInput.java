package dev.astrid.host.spi;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The input of a capsule's {@code astrid_hook_trigger} export (docs/abi.md, "Hooks"), which the IPC
 * interceptor dispatch, {@code astrid_trigger_hook} and tool calls all send:
 * {@code {"name":"<action>","arguments":[b0,b1,...]}}, the argument bytes as numbers 0-255.
 *
 * <p>The format spends up to four bytes per argument byte. It is written straight into one array of
 * the exact size, with no text or JSON tree in between, so a call costs that array and nothing more.
 */
public final class HookInput {
    private static final byte[] NAME = "{\"name\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ARGUMENTS = ",\"arguments\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** The largest array the JVM reliably allocates. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 16;

    private HookInput() {}

    /**
     * The input for an action and its whole argument.
     *
     * @throws IllegalArgumentException if the action is not valid Unicode
     */
    public static byte[] encode(String action, byte[] argument) {
        return encode(action, argument, 0, argument.length);
    }

    /**
     * The input for an action and {@code length} argument bytes starting at {@code offset}.
     *
     * @throws IllegalArgumentException if the action is not valid Unicode or the input would not
     *     fit in one array
     * @throws IndexOutOfBoundsException if the range is not within the array
     */
    public static byte[] encode(String action, byte[] argument, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, argument.length);
        byte[] name = quote(action);
        long size = NAME.length + name.length + ARGUMENTS.length + 2L + Math.max(0, length - 1);
        for (int i = offset; i < offset + length; i++) {
            int v = argument[i] & 0xFF;
            size += v < 10 ? 1 : v < 100 ? 2 : 3;
        }
        if (size > MAX_ARRAY) {
            throw new IllegalArgumentException("hook input of " + size + " bytes is too large");
        }
        byte[] out = new byte[(int) size];
        int at = put(out, 0, NAME);
        at = put(out, at, name);
        at = put(out, at, ARGUMENTS);
        for (int i = offset; i < offset + length; i++) {
            if (i > offset) {
                out[at++] = ',';
            }
            int v = argument[i] & 0xFF;
            if (v >= 100) {
                out[at++] = (byte) ('0' + v / 100);
            }
            if (v >= 10) {
                out[at++] = (byte) ('0' + v / 10 % 10);
            }
            out[at++] = (byte) ('0' + v % 10);
        }
        out[at++] = ']';
        out[at] = '}';
        return out;
    }

    private static int put(byte[] out, int at, byte[] part) {
        System.arraycopy(part, 0, out, at, part.length);
        return at + part.length;
    }

    /** A JSON string literal in UTF-8 (RFC 8259 §7: quote, backslash and control characters escaped). */
    private static byte[] quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append("\\u00").append((char) HEX[c >> 4]).append((char) HEX[c & 0xF]);
            } else {
                sb.append(c);
            }
        }
        try {
            return GuestText.encodeStrict(sb.append('"'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("hook action is not valid text: " + e.getMessage(), e);
        }
    }
}
