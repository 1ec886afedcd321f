package dev.astrid.host.http.internal;

import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.PayloadLimits;
import dev.astrid.host.spi.http.GuardedHttpClient;
import dev.astrid.host.spi.http.GuardedRequest;
import dev.astrid.host.spi.http.GuardedStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The open response streams of one capsule ({@code astrid_http_stream_*}, CONTRACT §8.2): at most
 * {@value #MAX_STREAMS} at a time, keyed by handles from one counter that starts at 1 and is never
 * reused. A stream counts until it is closed, also after its body ended. Closing the table (at
 * unload) closes every stream; a read after that answers empty.
 */
final class HttpStreams implements AutoCloseable {
    /** Streams a capsule may hold open at once, as upstream. */
    static final int MAX_STREAMS = 4;
    /** The most one read answers: 64 KiB; the rest of a larger delivery comes with the next read. */
    static final int MAX_CHUNK = 64 * 1024;
    /** The bound on a handle argument, as upstream: 1024 bytes. */
    static final int MAX_HANDLE_BYTES = 1024;

    private final GuardedHttpClient client;
    private final Duration readTimeout;
    private final Map<Long, GuardedStream> open = new HashMap<>();
    private long next = 1;
    private boolean closed;

    HttpStreams(GuardedHttpClient client, Duration readTimeout) {
        this.client = client;
        this.readTimeout = readTimeout;
    }

    /**
     * Sends the request and keeps the stream.
     *
     * @param callRemaining what is left of the guest call's time
     * @return the handle and the stream
     */
    Map.Entry<Long, GuardedStream> start(GuardedRequest request, Optional<Duration> callRemaining) {
        synchronized (this) {
            requireRoom();
        }
        GuardedStream s = client.open(request, callRemaining);
        synchronized (this) {
            if (closed || open.size() >= MAX_STREAMS) {
                s.close();
                requireRoom();
            }
            long id = next++;
            open.put(id, s);
            return Map.entry(id, s);
        }
    }

    private void requireRoom() {
        if (closed) {
            throw new HostException("the capsule is unloading");
        }
        if (open.size() >= MAX_STREAMS) {
            throw new HostException("too many open HTTP streams (at most " + MAX_STREAMS
                    + " per capsule); close one with astrid_http_stream_close");
        }
    }

    /** The next piece of a stream's body; empty at its end and once the table is closed. */
    byte[] read(byte[] handle, Optional<Duration> callRemaining) {
        long id = parse(handle);
        GuardedStream s;
        synchronized (this) {
            if (closed) {
                return new byte[0];
            }
            s = open.get(id);
        }
        if (s == null) {
            throw new HostException("unknown HTTP stream handle " + Long.toUnsignedString(id));
        }
        Duration wait = readTimeout;
        if (callRemaining.isPresent() && callRemaining.get().compareTo(wait) < 0) {
            wait = callRemaining.get();
        }
        if (wait.isZero() || wait.isNegative()) {
            throw new HostException("the call has no time left to wait for data");
        }
        return s.read(MAX_CHUNK, wait);
    }

    /** Closes a stream; a handle that is not open is no error. */
    void close(byte[] handle) {
        long id = parse(handle);
        GuardedStream s;
        synchronized (this) {
            s = open.remove(id);
        }
        if (s != null) {
            s.close();
        }
    }

    /** Closes every stream; reads answer empty from now on. */
    @Override
    public void close() {
        List<GuardedStream> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(open.values());
            open.clear();
        }
        all.forEach(GuardedStream::close);
    }

    /**
     * A handle as the guest passes it back: the decimal text of an unsigned 64-bit number, as Rust's
     * {@code u64::from_str} reads it (ASCII digits, one optional leading {@code +}, leading zeros
     * allowed, nothing else).
     */
    static long parse(byte[] bytes) {
        PayloadLimits.requireAtMost(bytes, MAX_HANDLE_BYTES);
        if (bytes.length == 0) {
            throw new HostException("invalid stream handle: it is empty, expected a decimal number");
        }
        int start = bytes[0] == '+' ? 1 : 0;
        if (start == bytes.length) {
            throw new HostException("invalid stream handle: expected a decimal number");
        }
        for (int i = start; i < bytes.length; i++) {
            if (bytes[i] < '0' || bytes[i] > '9') {
                throw new HostException("invalid stream handle: expected a decimal number (ASCII digits only)");
            }
        }
        while (start < bytes.length - 1 && bytes[start] == '0') {
            start++;
        }
        try {
            return Long.parseUnsignedLong(new String(bytes, start, bytes.length - start, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw new HostException("invalid stream handle: larger than 18446744073709551615");
        }
    }
}
