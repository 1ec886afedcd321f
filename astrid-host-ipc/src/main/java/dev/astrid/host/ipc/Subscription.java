package dev.astrid.host.ipc;

import java.time.Duration;

/**
 * A subscription on the {@link EventBus}, with its own bounded queue. It starts buffering as soon
 * as it exists. When the queue is full the oldest message is dropped and counted in
 * {@link Batch#lagged()}.
 *
 * <p>Safe to use from several threads; messages are handed out once each.
 */
public interface Subscription extends AutoCloseable {

    /** The pattern this subscription was made with. */
    String pattern();

    /** Takes everything queued, without waiting. */
    Batch poll();

    /**
     * Waits up to a timeout for the first message, then takes it and everything queued behind it.
     * Returns at once when the subscription is closed, with whatever was already queued.
     *
     * @param timeout how long to wait; zero or negative behaves as {@link #poll()}
     * @throws InterruptedException if the thread is interrupted while waiting (nothing is lost)
     */
    Batch recv(Duration timeout) throws InterruptedException;

    /** Whether {@link #close()} was called or the bus was closed. */
    boolean isClosed();

    /** Leaves the bus and wakes every waiting {@link #recv}. Idempotent. */
    @Override
    void close();
}
