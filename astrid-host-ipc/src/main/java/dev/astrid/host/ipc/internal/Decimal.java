package dev.astrid.host.ipc.internal;

import dev.astrid.host.spi.GuestText;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.PayloadLimits;

/**
 * Decimal u64 arguments (handles, timeouts) parsed as Rust's {@code u64::from_str} does: ASCII
 * digits, one optional leading {@code +}, no whitespace, no sign, no overflow.
 */
final class Decimal {
    private Decimal() {}

    /**
     * Parses an argument.
     *
     * @param what what the number is, for the error message ("subscription handle")
     * @return the value as an unsigned 64-bit number held in a long
     */
    static long parseU64(byte[] bytes, String what) {
        PayloadLimits.requireAtMost(bytes, PayloadLimits.MAX_DECIMAL);
        String s;
        try {
            s = GuestText.decodeStrict(bytes);
        } catch (IllegalArgumentException e) {
            throw new HostException(what + " is not valid UTF-8");
        }
        int start = s.startsWith("+") ? 1 : 0;
        boolean digits = s.length() > start;
        for (int i = start; i < s.length() && digits; i++) {
            char c = s.charAt(i);
            digits = c >= '0' && c <= '9';
        }
        if (!digits) {
            throw new HostException("invalid " + what + " '" + s + "': expected a decimal number");
        }
        try {
            return Long.parseUnsignedLong(s.substring(start));
        } catch (NumberFormatException e) {
            throw new HostException("invalid " + what + " '" + s + "': larger than 18446744073709551615");
        }
    }

    static byte[] format(long unsigned) {
        return GuestText.encode(Long.toUnsignedString(unsigned));
    }
}
