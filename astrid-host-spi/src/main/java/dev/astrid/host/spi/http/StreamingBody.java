package dev.astrid.host.spi.http;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.Flow;

/**
 * A response body handed out piece by piece as the reader asks. It asks the connection for one
 * delivery at a time and for the next only when the reader has taken the last one, so what a slow
 * reader leaves waiting is one delivery of the JDK client, never the whole body. Its "body" is
 * itself, available as soon as the headers are in.
 */
final class StreamingBody implements CancellableBody<StreamingBody> {
    /** The body ended. */
    private static final Object END = new Object();

    /** Deliveries ({@code List<ByteBuffer>}), then {@link #END} or the failure. */
    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private volatile Flow.Subscription subscription;
    private volatile boolean cancelled;
    // Reader side, under this object's lock.
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    private boolean ended;

    /** The body failed while it was being read. */
    static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;

        Failed(Throwable cause) {
            super(cause);
        }
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (cancelled) {
            s.cancel();
        } else {
            s.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        events.add(items);
    }

    @Override
    public void onError(Throwable t) {
        events.add(t);
    }

    @Override
    public void onComplete() {
        events.add(END);
    }

    @Override
    public CompletionStage<StreamingBody> getBody() {
        return CompletableFuture.completedFuture(this);
    }

    /**
     * The next piece of the body, at most {@code max} bytes; empty at the end, after a failure was
     * reported once, and after {@link #cancel()}.
     *
     * @throws TimeoutException when nothing arrived within {@code waitNanos}
     * @throws Failed when the connection failed
     * @throws InterruptedException when the reading thread is interrupted
     */
    synchronized byte[] next(int max, long waitNanos) throws TimeoutException, Failed, InterruptedException {
        long deadline = System.nanoTime() + waitNanos;
        while (pending.isEmpty()) {
            if (ended || cancelled) {
                return new byte[0];
            }
            Object e = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new TimeoutException();
            }
            if (e == END || cancelled) {
                ended = true;
                return new byte[0];
            }
            if (e instanceof Throwable) {
                ended = true;
                throw new Failed((Throwable) e);
            }
            for (Object o : (List<?>) e) {
                ByteBuffer b = (ByteBuffer) o;
                if (b.hasRemaining()) {
                    pending.add(b);
                }
            }
            if (pending.isEmpty()) {
                subscription.request(1);
            }
        }
        int size = 0;
        for (ByteBuffer b : pending) {
            size += Math.min(b.remaining(), max - size);
            if (size == max) {
                break;
            }
        }
        byte[] out = new byte[size];
        int at = 0;
        while (at < size) {
            ByteBuffer b = pending.peek();
            int n = Math.min(b.remaining(), size - at);
            b.get(out, at, n);
            at += n;
            if (!b.hasRemaining()) {
                pending.poll();
            }
        }
        if (pending.isEmpty()) {
            subscription.request(1);
        }
        return out;
    }

    /** Stops reading (the connection is closed) and wakes a reader that waits. */
    @Override
    public void cancel() {
        cancelled = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        events.add(END);
    }
}
