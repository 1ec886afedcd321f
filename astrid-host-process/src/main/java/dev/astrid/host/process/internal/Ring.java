package dev.astrid.host.process.internal;

/**
 * A background command's output since the last read: the last {@code max} bytes are kept, older
 * ones are dropped and counted. The array grows as output comes, so an idle process costs little.
 */
final class Ring implements Sink {
    private final int max;
    private byte[] buf = new byte[4096]; // guarded by this; circular, grows up to max
    private int start; // guarded by this
    private int size; // guarded by this
    private long dropped; // guarded by this
    private boolean ended; // guarded by this

    Ring(int max) {
        this.max = max;
    }

    /** What one drain returned: the bytes, and how many older bytes were dropped before them. */
    record Drained(byte[] bytes, long dropped) {}

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        if (len >= max) {
            // The new bytes alone fill the ring: everything held, and their own head, is dropped.
            dropped += size + (len - max);
            if (buf.length < max) {
                buf = new byte[max];
            }
            System.arraycopy(b, off + len - max, buf, 0, max);
            start = 0;
            size = max;
            return;
        }
        int overflow = size + len - max;
        if (overflow > 0) {
            dropped += overflow;
            start = (start + overflow) % buf.length;
            size -= overflow;
        }
        if (size + len > buf.length) {
            grow(Math.min(max, Math.max(size + len, 2 * buf.length)));
        }
        int at = (start + size) % buf.length;
        int first = Math.min(len, buf.length - at);
        System.arraycopy(b, off, buf, at, first);
        System.arraycopy(b, off + first, buf, 0, len - first);
        size += len;
    }

    private void grow(int capacity) {
        byte[] bigger = new byte[capacity];
        copyOut(bigger, size);
        buf = bigger;
        start = 0;
    }

    private void copyOut(byte[] into, int n) {
        int first = Math.min(n, buf.length - start);
        System.arraycopy(buf, start, into, 0, first);
        System.arraycopy(buf, 0, into, first, n - first);
    }

    @Override
    public synchronized void end() {
        ended = true;
    }

    /**
     * Takes everything held. While more may come, a UTF-8 character cut at the end stays for the
     * next drain, so that it is not split into two replacement characters.
     */
    synchronized Drained drain() {
        int n = size;
        if (!ended) {
            byte[] all = new byte[size];
            copyOut(all, size);
            n -= Utf8.incompleteTail(all);
        }
        byte[] out = new byte[n];
        copyOut(out, n);
        start = (start + n) % buf.length;
        size -= n;
        if (size == 0) {
            start = 0;
            if (buf.length > 4096) {
                buf = new byte[4096]; // give the memory back once drained
            }
        }
        Drained d = new Drained(out, dropped);
        dropped = 0;
        return d;
    }
}
