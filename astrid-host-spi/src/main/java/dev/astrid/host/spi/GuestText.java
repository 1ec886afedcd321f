package dev.astrid.host.spi;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Text carried in guest bytes. The ABI decodes UTF-8 in three ways, depending on the function:
 * strictly (invalid input is an error), lossily (invalid sequences become U+FFFD), or with invalid
 * input meaning the empty string. Providers use these instead of decoding on their own.
 */
public final class GuestText {
    private GuestText() {}

    /**
     * Decodes bytes that must be valid UTF-8.
     *
     * @throws IllegalArgumentException if they are not
     */
    public static String decodeStrict(byte[] bytes) {
        if (isAscii(bytes)) {
            // The common case, and the JDK's fastest path.
            return new String(bytes, StandardCharsets.US_ASCII);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not valid UTF-8", e);
        }
    }

    /** Decodes bytes, replacing invalid sequences with U+FFFD (Rust's {@code from_utf8_lossy}). */
    public static String decodeLossy(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Decodes bytes, or answers the empty string when they are not valid UTF-8. */
    public static String decodeOrEmpty(byte[] bytes) {
        try {
            return decodeStrict(bytes);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** The UTF-8 bytes of a string, as the host hands text to a guest. */
    public static byte[] encode(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Encodes text that must be valid Unicode. {@link #encode} writes an unpaired surrogate (which a
     * JSON escape of half a surrogate pair produces) as {@code ?}; this refuses it instead.
     *
     * @throws IllegalArgumentException naming the first unpaired surrogate
     */
    public static byte[] encodeStrict(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    throw new IllegalArgumentException(String.format("unpaired surrogate \\u%04x", (int) c));
                }
            }
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The length of a string in UTF-8, without encoding it. */
    public static long encodedLength(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }
}
