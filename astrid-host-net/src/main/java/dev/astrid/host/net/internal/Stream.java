package dev.astrid.host.net.internal;

import dev.astrid.host.spi.HostException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One accepted connection. Non-blocking, with a selector of its own for the short waits of
 * {@link #read} and the waits of {@link #write} for a slow peer. A stream becomes <em>dead</em>
 * when it cannot go on: the peer closed it, the peer announced an oversized frame, or a frame was
 * written only in part; the caller then releases it.
 */
final class Stream {
    private static final byte[] EMPTY = new byte[0];

    final long id;
    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final FrameDecoder decoder;
    private volatile String closedBecause;
    private volatile boolean dead;

    private Stream(long id, SocketChannel channel, Selector selector, SelectionKey key, int maxFrame) {
        this.id = id;
        this.channel = channel;
        this.selector = selector;
        this.key = key;
        this.decoder = new FrameDecoder(maxFrame);
    }

    /** Takes over an accepted connection. */
    static Stream open(long id, SocketChannel channel, int maxFrame) throws IOException {
        Selector sel = null;
        try {
            channel.configureBlocking(false);
            sel = Selector.open();
            SelectionKey k = channel.register(sel, 0);
            return new Stream(id, channel, sel, k, maxFrame);
        } catch (IOException | RuntimeException e) {
            if (sel != null) {
                sel.close();
            }
            throw e;
        }
    }

    /** Whether the stream must be released. */
    boolean dead() {
        return dead;
    }

    /**
     * The payload of the next frame, or empty when no whole frame arrived within {@code wait}.
     * Bytes of a frame that is not whole yet are kept for the next call.
     */
    synchronized byte[] read(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        // An aborted call's result is thrown away: take nothing off the stream for it.
        checkInterrupt("waiting for a frame");
        try {
            while (true) {
                byte[] frame = decoder.poll(channel);
                if (frame != null) {
                    return frame;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return EMPTY;
                }
                await(SelectionKey.OP_READ, left, "waiting for a frame");
            }
        } catch (EOFException e) {
            dead = true;
            throw HostException.peerClosed("stream " + Handles.text(id) + " was closed by the peer" + (decoder.midFrame()
                    ? " in the middle of a frame (" + decoder.received() + " bytes of it had arrived)" : ""), e);
        } catch (FrameDecoder.OversizeFrame e) {
            dead = true;
            throw new HostException("stream " + Handles.text(id) + ": the peer sent a frame of " + e.length
                    + " bytes, over the limit of " + CapsuleNet.MAX_FRAME + "; the stream is closed");
        } catch (IOException e) {
            if (closedBecause != null) {
                throw new HostException(closedBecause, e);
            }
            dead = true;
            throw HostException.peerClosed("stream " + Handles.text(id) + " was closed by the peer (" + Reasons.of(e) + ")", e);
        } catch (ClosedSelectorException | CancelledKeyException e) {
            throw new HostException(closedBecause != null ? closedBecause : "stream " + Handles.text(id) + " is closed");
        }
    }

    /**
     * Writes one whole frame, waiting for a slow peer up to {@code timeout} plus one millisecond per
     * KiB of the frame. A frame that could not be written whole leaves the stream dead, since the
     * peer could no longer tell where the next frame starts.
     */
    synchronized void write(byte[] data, Duration timeout) {
        ByteBuffer header = ByteBuffer.allocate(4).putInt(0, data.length);
        ByteBuffer[] frame = {header, ByteBuffer.wrap(data)};
        long total = 4L + data.length;
        long limitMillis = timeout.toMillis() + data.length / 1024;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limitMillis);
        long written = 0;
        checkInterrupt("writing a frame");
        try {
            while (written < total) {
                long n = channel.write(frame);
                written += n;
                if (written == total || n > 0) {
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    dead = true;
                    throw new HostException("stream " + Handles.text(id) + ": the peer took " + written + " of the "
                            + total + " bytes of the frame within " + limitMillis + " ms; the stream is closed");
                }
                try {
                    await(SelectionKey.OP_WRITE, left, "writing a frame");
                } catch (HostException interrupted) {
                    // Nothing sent yet: the stream is still whole. Part of a frame sent: it is not.
                    dead = written > 0;
                    throw written > 0 ? new HostException(interrupted.getMessage() + " after " + written + " of "
                            + total + " bytes; the stream is closed") : interrupted;
                }
            }
        } catch (IOException e) {
            if (closedBecause != null) {
                throw new HostException(closedBecause, e);
            }
            dead = true;
            throw HostException.peerClosed("stream " + Handles.text(id) + ": the peer closed the connection ("
                    + Reasons.of(e) + ")", e);
        } catch (ClosedSelectorException | CancelledKeyException e) {
            throw new HostException(closedBecause != null ? closedBecause : "stream " + Handles.text(id) + " is closed");
        }
    }

    private void checkInterrupt(String doing) {
        if (Thread.currentThread().isInterrupted()) {
            // Keep the flag: the host reads it to end the guest's call.
            throw new HostException("interrupted while " + doing + " on stream " + Handles.text(id));
        }
    }

    private void await(int op, long nanos, String doing) throws IOException {
        checkInterrupt(doing);
        key.interestOps(op);
        selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)));
        selector.selectedKeys().clear();
        key.interestOps(0);
    }

    /** Closes the connection (the peer sees the end of the stream); a call still using it fails with the reason. */
    void close(String reason) {
        closedBecause = reason;
        try {
            channel.close();
        } catch (IOException e) {
            // closing: nothing left to do with it
        }
        try {
            // Also completes the close of the channel, which stays open while it is registered.
            selector.close();
        } catch (IOException e) {
            // closing: nothing left to do with it
        }
    }
}
