package dev.astrid.host.net.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Reassembles frames (a big-endian u32 length, then that many bytes) from a non-blocking channel,
 * a piece at a time: whatever has arrived is kept until the frame is whole, however the sender's
 * writes were split. It never reads past the frame it is filling, and the body grows as bytes
 * arrive, so a peer that announces a large frame and sends nothing costs nothing.
 */
final class FrameDecoder {
    /** The first body buffer; it doubles as bytes arrive, up to the announced length. */
    static final int FIRST_BODY_BYTES = 64 * 1024;
    private static final byte[] EMPTY = new byte[0];

    /** The peer announced a frame over the limit. */
    static final class OversizeFrame extends IOException {
        private static final long serialVersionUID = 1L;
        final long length;

        OversizeFrame(long length) {
            super("frame of " + length + " bytes");
            this.length = length;
        }
    }

    private final int maxFrame;
    private final ByteBuffer header = ByteBuffer.allocate(4);
    private byte[] body;
    private int length = -1;
    private int filled;

    FrameDecoder(int maxFrame) {
        this.maxFrame = maxFrame;
    }

    /**
     * Reads what the channel has without waiting.
     *
     * @return the payload of the next whole frame, or null when it is not whole yet
     * @throws EOFException when the peer closed the connection (see {@link #midFrame()})
     * @throws OversizeFrame when the peer announced a frame over the limit
     */
    byte[] poll(ReadableByteChannel ch) throws IOException {
        while (true) {
            if (length < 0) {
                int n = ch.read(header);
                if (n < 0) {
                    throw new EOFException();
                }
                if (header.hasRemaining()) {
                    if (n == 0) {
                        return null;
                    }
                    continue;
                }
                long announced = header.getInt(0) & 0xFFFF_FFFFL;
                header.clear();
                if (announced > maxFrame) {
                    throw new OversizeFrame(announced);
                }
                if (announced == 0) {
                    return EMPTY;
                }
                length = (int) announced;
                body = new byte[Math.min(length, FIRST_BODY_BYTES)];
                filled = 0;
            }
            if (filled == body.length) {
                body = java.util.Arrays.copyOf(body, (int) Math.min(length, 2L * body.length));
            }
            int n = ch.read(ByteBuffer.wrap(body, filled, body.length - filled));
            if (n < 0) {
                throw new EOFException();
            }
            filled += n;
            if (filled == length) {
                byte[] frame = body;
                body = null;
                length = -1;
                filled = 0;
                return frame;
            }
            if (n == 0) {
                return null;
            }
        }
    }

    /** Whether part of a frame has arrived and waits for the rest. */
    boolean midFrame() {
        return length >= 0 || header.position() > 0;
    }

    /** How many bytes of the frame being filled have arrived, its header included. */
    long received() {
        return length >= 0 ? 4L + filled : header.position();
    }

    /** The announced length of the frame being filled, or -1 when its header is not whole. */
    int announced() {
        return length;
    }
}
