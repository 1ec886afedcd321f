package dev.astrid.host.ipc.internal;

import dev.astrid.host.ipc.Batch;
import dev.astrid.host.ipc.BusMessage;
import dev.astrid.host.ipc.Subscription;
import dev.astrid.host.spi.security.TopicPatterns;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One subscription's bounded queue. Publishers add under this queue's own lock (never a global
 * one) and never wait for space: when the queue is full, or holds more payload bytes than allowed,
 * the oldest messages go and are counted as lagged. A receiver waits on a condition, not in a loop.
 */
public final class SubscriptionQueue implements Recipient, Subscription {

    /** The drain budget (docs/families/ipc.md, poll and recv): payload bytes one envelope may carry. */
    public static final long DRAIN_BUDGET = 10L * 1024 * 1024;

    /**
     * How long a receiver finding the queue empty spins before it parks. A message that comes
     * within this time is taken without the two thread wake-ups (the publisher's unpark and the
     * receiver's return from park) that dominate a steady publish-receive stream.
     */
    static final long SPIN_NANOS = 20_000;

    private final String pattern;
    private final RouteKey routeKey;
    private final boolean exact;
    private final int capacity;
    private final long maxBytes;
    private final ByteBudget budget;
    private final Bus bus;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Posted> queue;
    private long queuedBytes;
    private long lagged;
    private boolean closed;
    /**
     * The queue's size and closed state as a receiver may read them without the lock, for its spin:
     * the number of messages queued, or -1 once closed. Written under the lock after each change.
     */
    private volatile int visible;

    SubscriptionQueue(Bus bus, String pattern, int capacity, long maxBytes, ByteBudget budget) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity must be at least 1, got " + capacity);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("queue byte bound must be at least 1, got " + maxBytes);
        }
        this.bus = bus;
        this.pattern = pattern;
        this.routeKey = RouteKey.forDelivery(pattern);
        this.exact = routeKey instanceof RouteKey.Exact;
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        this.budget = budget;
        this.queue = new ArrayDeque<>(Math.min(capacity, 16));
    }

    @Override
    public String pattern() {
        return pattern;
    }

    @Override
    public RouteKey routeKey() {
        return routeKey;
    }

    @Override
    public void offer(Posted message) {
        String topic = message.topic();
        // An exact key is only offered its own topic; equals() keeps that true even if routing changes.
        if (exact ? !topic.equals(pattern) : !TopicPatterns.deliveryMatches(topic, pattern)) {
            return;
        }
        int size = message.payload().length();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            // Keep at least the newest message even if it alone exceeds the byte bound.
            while (!queue.isEmpty() && (queue.size() >= capacity || queuedBytes + size > maxBytes)) {
                dropOldest();
            }
            // The capsule's budget is shared with its other queues: make room here, or lose the new one.
            while (!budget.tryTake(size)) {
                if (queue.isEmpty()) {
                    lagged++;
                    mirror();
                    changed.signal();
                    return;
                }
                dropOldest();
            }
            queue.addLast(message);
            queuedBytes += size;
            mirror();
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Makes the queue's state visible to a spinning receiver; called under the lock after a change. */
    private void mirror() {
        visible = closed ? -1 : queue.size();
    }

    private void dropOldest() {
        removed(queue.pollFirst());
        lagged++;
    }

    /** Accounts for a message that left the queue. */
    private void removed(Posted p) {
        int size = p.payload().length();
        queuedBytes -= size;
        if (!closed) {
            budget.give(size);
        }
    }

    /** Takes the queued messages that fit {@code budget} payload bytes, without waiting. */
    public Drained drain(long budget) {
        lock.lock();
        try {
            return drainLocked(null, budget);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to a timeout for a message, then takes it (outside the budget, as upstream does)
     * and drains the rest within the budget. Returns early, with what is queued, when closed.
     *
     * @throws InterruptedException if interrupted while waiting; nothing is taken then
     */
    public Drained await(long timeoutNanos, long budget) throws InterruptedException {
        if (timeoutNanos <= 0) {
            return drain(budget);
        }
        long start = System.nanoTime();
        spin(Math.min(timeoutNanos, SPIN_NANOS));
        lock.lock();
        try {
            long left = timeoutNanos - (System.nanoTime() - start);
            while (queue.isEmpty() && !closed && left > 0) {
                left = changed.awaitNanos(left);
            }
            Posted first = queue.pollFirst();
            if (first != null) {
                removed(first);
            }
            return drainLocked(first, budget);
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code nanos} without parking for a message or the close to be visible. */
    private void spin(long nanos) {
        if (visible != 0) {
            return;
        }
        long end = System.nanoTime() + nanos;
        while (visible == 0 && System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }

    private Drained drainLocked(Posted first, long budget) {
        if (first == null && queue.isEmpty() && lagged == 0) {
            return Drained.EMPTY;
        }
        List<Posted> taken = new ArrayList<>(queue.size() + 1);
        if (first != null) {
            taken.add(first);
        }
        long used = 0;
        long dropped = 0;
        while (!queue.isEmpty()) {
            Posted next = queue.peekFirst();
            int size = next.payload().length();
            removed(queue.pollFirst());
            if (used + size > budget) {
                // As upstream: the message that does not fit is discarded and draining stops (docs/families/ipc.md).
                dropped = 1;
                break;
            }
            used += size;
            taken.add(next);
        }
        long lost = lagged;
        lagged = 0;
        mirror();
        return new Drained(taken, dropped, lost);
    }

    @Override
    public Batch poll() {
        return toBatch(drain(Long.MAX_VALUE));
    }

    @Override
    public Batch recv(Duration timeout) throws InterruptedException {
        long nanos = timeout.isNegative() ? 0 : saturatedNanos(timeout);
        return toBatch(await(nanos, Long.MAX_VALUE));
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static Batch toBatch(Drained d) {
        List<BusMessage> out = new ArrayList<>(d.messages().size());
        for (Posted p : d.messages()) {
            out.add(p.toBusMessage());
        }
        return new Batch(out, d.lagged());
    }

    @Override
    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Leaves the bus, then closes the queue. */
    @Override
    public void close() {
        bus.remove(this);
        markClosed();
    }

    /** Refuses further messages and wakes every waiting receiver; what is queued stays readable. */
    void markClosed() {
        lock.lock();
        try {
            if (!closed) {
                // What stays queued stays readable, but no longer counts against the capsule.
                budget.give(queuedBytes);
            }
            closed = true;
            mirror();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether a receiver is waiting right now (for tests that must know a recv is blocked). */
    boolean hasWaiters() {
        lock.lock();
        try {
            return lock.hasWaiters(changed);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "subscription '" + pattern + "'";
    }
}
