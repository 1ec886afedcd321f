package dev.astrid.host.process.internal;

import java.util.Arrays;

/** A foreground command's output: the first {@code max} bytes are kept, the rest counted and dropped. */
final class Capture implements Sink {
    private final int max;
    private byte[] buf = new byte[4096]; // guarded by this; grows up to max
    private int size; // guarded by this
    private long dropped; // guarded by this

    Capture(int max) {
        this.max = max;
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        int keep = Math.min(len, max - size);
        if (keep > 0) {
            if (size + keep > buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(max, Math.max((long) size + keep, 2L * buf.length)));
            }
            System.arraycopy(b, off, buf, size, keep);
            size += keep;
        }
        dropped += len - Math.max(keep, 0);
    }

    @Override
    public void end() {}

    /** The bytes kept. */
    synchronized byte[] bytes() {
        return Arrays.copyOf(buf, size);
    }

    /** How many bytes were dropped past the limit. */
    synchronized long dropped() {
        return dropped;
    }
}
