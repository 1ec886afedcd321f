package dev.astrid.host.ipc.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The JSON poll and recv return (docs/families/ipc.md, poll and recv):
 * {@code {"messages":[...],"dropped":N,"lagged":N}}. Built by copying each message's cached
 * encoding, so a message read by several subscribers is encoded once.
 */
final class Envelope {
    private static final byte[] HEAD = "{\"messages\":[".getBytes(StandardCharsets.US_ASCII);

    /** The envelope of a drain that took nothing. */
    static final String EMPTY = "{\"messages\":[],\"dropped\":0,\"lagged\":0}";

    private Envelope() {}

    static byte[] encode(Drained drained) {
        List<Posted> messages = drained.messages();
        byte[] tail = ("],\"dropped\":" + Long.toUnsignedString(drained.dropped()) + ",\"lagged\":"
                + Long.toUnsignedString(drained.lagged()) + "}").getBytes(StandardCharsets.US_ASCII);
        long size = HEAD.length + tail.length + Math.max(0, messages.size() - 1);
        for (Posted m : messages) {
            size += m.json().length;
        }
        if (size > Integer.MAX_VALUE - 16) {
            // Cannot happen within the drain budget; stated so that an overflow can never go unnoticed.
            throw new IllegalStateException("envelope of " + size + " bytes is too large");
        }
        byte[] out = new byte[(int) size];
        System.arraycopy(HEAD, 0, out, 0, HEAD.length);
        int at = HEAD.length;
        for (int i = 0; i < messages.size(); i++) {
            if (i > 0) {
                out[at++] = ',';
            }
            byte[] m = messages.get(i).json();
            System.arraycopy(m, 0, out, at, m.length);
            at += m.length;
        }
        System.arraycopy(tail, 0, out, at, tail.length);
        return out;
    }
}
