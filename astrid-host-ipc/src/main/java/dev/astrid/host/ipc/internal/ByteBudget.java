package dev.astrid.host.ipc.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Payload bytes that all the subscription queues of one capsule may hold together. Without it a
 * capsule that never drains could pin its per-queue bound times its 128 subscriptions.
 */
final class ByteBudget {
    /** No limit, for subscriptions made from Java rather than by a capsule. */
    static final ByteBudget UNLIMITED = new ByteBudget(Long.MAX_VALUE);

    private final long limit;
    private final AtomicLong used = new AtomicLong();

    ByteBudget(long limit) {
        this.limit = limit;
    }

    /** Takes {@code n} bytes if they fit; false (and nothing taken) otherwise. */
    boolean tryTake(long n) {
        if (limit == Long.MAX_VALUE) {
            return true;
        }
        while (true) {
            long cur = used.get();
            if (cur + n > limit) {
                return false;
            }
            if (used.compareAndSet(cur, cur + n)) {
                return true;
            }
        }
    }

    /** Gives {@code n} bytes back. */
    void give(long n) {
        if (limit != Long.MAX_VALUE && n != 0) {
            used.addAndGet(-n);
        }
    }

    /** Bytes taken now. */
    long used() {
        return used.get();
    }
}
