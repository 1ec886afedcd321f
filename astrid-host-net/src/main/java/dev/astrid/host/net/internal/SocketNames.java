package dev.astrid.host.net.internal;

import dev.astrid.host.spi.GuestText;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.PayloadLimits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The socket path a guest passes to {@code astrid_net_bind_unix}: a relative path inside the
 * capsule's socket directory. It must be UTF-8 without NUL or control characters, must not be
 * absolute and must not contain {@code ..}; {@code .} and empty segments are dropped, so
 * {@code ./a//b.sock} names {@code a/b.sock}.
 */
final class SocketNames {
    /** The longest name of one file or directory on the usual file systems. */
    static final int MAX_SEGMENT_BYTES = 255;

    private SocketNames() {}

    /**
     * A checked socket path.
     *
     * @param segments its segments, none empty, {@code .} or {@code ..}
     */
    record Name(List<String> segments) {
        Name {
            segments = List.copyOf(segments);
        }

        /** The path with {@code /} between segments, as the guest would write it. */
        String text() {
            return String.join("/", segments);
        }

        /** Its length in UTF-8 bytes. */
        int byteLength() {
            return text().getBytes(StandardCharsets.UTF_8).length;
        }
    }

    /**
     * Checks a guest's socket path.
     *
     * @throws HostException saying what is wrong; the guest's text is repeated only once it is
     *     known to be printable
     */
    static Name parse(byte[] raw) {
        PayloadLimits.requireAtMost(raw, PayloadLimits.MAX_PATH);
        String s;
        try {
            s = GuestText.decodeStrict(raw);
        } catch (IllegalArgumentException e) {
            throw new HostException("socket path is not valid UTF-8");
        }
        if (s.isEmpty()) {
            throw new HostException("socket path is empty: name a socket inside the capsule's socket directory");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                throw new HostException("socket path contains NUL");
            }
            if (c < 0x20 || c == 0x7f) {
                throw new HostException("socket path contains a control character");
            }
        }
        if (s.startsWith("/")) {
            throw new HostException("socket path must be relative to the capsule's socket directory, not absolute");
        }
        List<String> segments = new ArrayList<>();
        for (String seg : s.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                throw new HostException("socket path must not contain '..'");
            }
            if (seg.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
                throw new HostException("a name in the socket path is longer than " + MAX_SEGMENT_BYTES + " bytes");
            }
            segments.add(seg);
        }
        if (segments.isEmpty()) {
            throw new HostException("socket path names no socket, only the socket directory itself");
        }
        return new Name(segments);
    }
}
