package dev.astrid.host.net.internal;

import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.PayloadLimits;
import java.nio.charset.StandardCharsets;

/**
 * Listener and stream handles as the guest passes them back: decimal text of an unsigned 64-bit
 * number, parsed as Rust's {@code u64::from_str} does (ASCII digits, one optional leading
 * {@code +}, leading zeros allowed, no whitespace, no sign, no overflow), at most 1024 bytes.
 */
final class Handles {
    /** The bound on a handle argument, as upstream: 1024 bytes. */
    static final int MAX_BYTES = 1024;

    private Handles() {}

    /**
     * Parses a handle.
     *
     * @param what {@code stream} or {@code listener}, for the error message
     * @return the handle as an unsigned 64-bit number held in a long
     * @throws HostException when the text is not such a number; the guest's text is not repeated
     */
    static long parse(byte[] bytes, String what) {
        PayloadLimits.requireAtMost(bytes, MAX_BYTES);
        if (bytes.length == 0) {
            throw new HostException("invalid " + what + " handle: it is empty, expected a decimal number");
        }
        int start = bytes[0] == '+' ? 1 : 0;
        if (start == bytes.length) {
            throw new HostException("invalid " + what + " handle: expected a decimal number");
        }
        for (int i = start; i < bytes.length; i++) {
            if (bytes[i] < '0' || bytes[i] > '9') {
                throw new HostException("invalid " + what + " handle: expected a decimal number (ASCII digits only)");
            }
        }
        while (start < bytes.length - 1 && bytes[start] == '0') {
            start++;
        }
        String digits = new String(bytes, start, bytes.length - start, StandardCharsets.US_ASCII);
        try {
            return Long.parseUnsignedLong(digits);
        } catch (NumberFormatException e) {
            throw new HostException("invalid " + what + " handle: larger than 18446744073709551615");
        }
    }

    /** The decimal text of a handle. */
    static byte[] format(long handle) {
        return Long.toUnsignedString(handle).getBytes(StandardCharsets.US_ASCII);
    }

    /** A handle for messages. */
    static String text(long handle) {
        return Long.toUnsignedString(handle);
    }
}
