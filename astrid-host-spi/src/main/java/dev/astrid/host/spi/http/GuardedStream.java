package dev.astrid.host.spi.http;

import dev.astrid.host.spi.HostException;
import java.time.Duration;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * A response whose headers are in and whose body is read piece by piece
 * ({@link GuardedHttpClient#open}). The connection stays open until the body ends, it fails, or
 * {@link #close()}; close it when done. Safe to close from another thread while a read waits: the
 * read then returns empty.
 */
public final class GuardedStream implements AutoCloseable {
    private final int status;
    private final SortedMap<String, String> headers;
    private final StreamingBody body;
    private final String host;
    private final Function<Throwable, String> reasons;

    GuardedStream(int status, SortedMap<String, String> headers, StreamingBody body, String host,
            Function<Throwable, String> reasons) {
        this.status = status;
        this.headers = Collections.unmodifiableSortedMap(new TreeMap<>(headers));
        this.body = body;
        this.host = host;
        this.reasons = reasons;
    }

    /** The final status code (after redirects). */
    public int status() {
        return status;
    }

    /**
     * The response headers as {@link GuardedResponse#headers()} has them: lower-case names, the last
     * value of each, values that are not printable ASCII left out.
     */
    public SortedMap<String, String> headers() {
        return headers;
    }

    /**
     * The next piece of the body as it arrives, at most {@code maxBytes} (the rest of a larger
     * delivery comes with the next read); empty at the end of the body, after a failure was reported,
     * and once the stream is closed.
     *
     * @param wait how long to wait for a piece, at most
     * @throws HostException when nothing arrived within {@code wait}, when the connection failed
     *     (reported once; the stream has ended then), or when the thread was interrupted
     */
    public byte[] read(int maxBytes, Duration wait) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        try {
            return body.next(maxBytes, Math.max(0, wait.toNanos()));
        } catch (TimeoutException e) {
            throw new HostException("no data from " + host + " within " + wait.toMillis() + " ms");
        } catch (StreamingBody.Failed e) {
            throw new HostException(reasons.apply(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostException("interrupted while waiting for data from " + host);
        }
    }

    /** Closes the connection; a read that waits returns empty. Idempotent. */
    @Override
    public void close() {
        body.cancel();
    }
}
