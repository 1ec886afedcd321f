package dev.astrid.host.spi.http;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * Which IP addresses a capsule's HTTP request may not reach unless the host allows private
 * addresses: everything that is not the public internet.
 *
 * <p>IPv4: {@code 0.0.0.0/8} (this network), {@code 10/8}, {@code 172.16/12}, {@code 192.168/16}
 * (private), {@code 100.64/10} (shared, carrier-grade NAT), {@code 127/8} (loopback),
 * {@code 169.254/16} (link-local, where cloud metadata services answer), {@code 192.0.0/24}
 * (protocol assignments), {@code 224/4} (multicast) and {@code 240/4} (reserved, with the broadcast
 * address). IPv6: {@code ::} and {@code ::1}, {@code fe80::/10} (link-local), {@code fec0::/10}
 * (old site-local), {@code fc00::/7} (unique local, where some metadata services answer) and
 * {@code ff00::/8} (multicast); an IPv4 address carried in IPv6 (mapped {@code ::ffff:a.b.c.d},
 * compatible {@code ::a.b.c.d}, or NAT64 {@code 64:ff9b::a.b.c.d}) is judged as that IPv4 address.
 */
public final class AddressRules {
    private AddressRules() {}

    /** Why the address is refused (for example {@code loopback}), or null when it is public. */
    public static String refusal(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return v4(b);
        }
        if (address instanceof Inet6Address) {
            return v6(b);
        }
        return "not an IP address";
    }

    private static String v4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        if (a0 == 0) {
            return "unspecified (0.0.0.0/8)";
        }
        if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) {
            return "private";
        }
        if (a0 == 100 && (a1 & 0xc0) == 64) {
            return "shared address space (100.64.0.0/10)";
        }
        if (a0 == 127) {
            return "loopback";
        }
        if (a0 == 169 && a1 == 254) {
            return "link-local (169.254.0.0/16, cloud metadata)";
        }
        if (a0 == 192 && a1 == 0 && a2 == 0) {
            return "reserved (192.0.0.0/24)";
        }
        if ((a0 & 0xf0) == 224) {
            return "multicast";
        }
        if ((a0 & 0xf0) == 240) {
            return "reserved (240.0.0.0/4, broadcast)";
        }
        return null;
    }

    private static String v6(byte[] b) {
        boolean zero96 = allZero(b, 0, 12);
        if (zero96 && allZero(b, 12, 16)) {
            return "unspecified (::)";
        }
        if (zero96 && allZero(b, 12, 15) && b[15] == 1) {
            return "loopback";
        }
        boolean mapped = allZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                && allZero(b, 4, 12);
        if (zero96 || mapped || nat64) {
            String inner = v4(Arrays.copyOfRange(b, 12, 16));
            return inner == null ? null : inner + ", as IPv6";
        }
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        if (a0 == 0xfe && (a1 & 0xc0) == 0x80) {
            return "link-local (fe80::/10)";
        }
        if (a0 == 0xfe && (a1 & 0xc0) == 0xc0) {
            return "site-local (fec0::/10)";
        }
        if ((a0 & 0xfe) == 0xfc) {
            return "unique local (fc00::/7)";
        }
        if (a0 == 0xff) {
            return "multicast";
        }
        return null;
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
