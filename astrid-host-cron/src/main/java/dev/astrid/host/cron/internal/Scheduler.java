package dev.astrid.host.cron.internal;

import dev.astrid.host.spi.HostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One provider's scheduler: a single daemon thread that sleeps until the earliest next fire of
 * any bound capsule, hands the due fires to the capsules (which run them on a pool, one at a time
 * per capsule), and sleeps again. It runs only while at least one capsule is bound.
 *
 * <p>All job state of every capsule is guarded by {@link #lock()}; a change (a job scheduled or
 * cancelled, a capsule bound or unloaded, {@link #wake()}) signals the thread to look again.
 */
public final class Scheduler implements AutoCloseable {
    /** The longest sleep: a wall clock that jumps is noticed within it. */
    static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Set<CapsuleCron> capsules = new LinkedHashSet<>();
    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService fires = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "astrid-cron-fire-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
    private Thread thread;
    private boolean closed;

    /** The lock that guards every job of every capsule of this scheduler. */
    ReentrantLock lock() {
        return lock;
    }

    /**
     * Adds a capsule and starts the thread if it is not running.
     *
     * @throws HostException when the provider is closed
     */
    void add(CapsuleCron capsule) {
        lock.lock();
        try {
            if (closed) {
                throw new HostException("the cron provider is closed");
            }
            capsules.add(capsule);
            if (thread == null) {
                thread = new Thread(this::loop, "astrid-cron-scheduler");
                thread.setDaemon(true);
                thread.start();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Removes a capsule; the thread ends when none is left. */
    void remove(CapsuleCron capsule) {
        lock.lock();
        try {
            capsules.remove(capsule);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Makes the thread read the clocks again now. */
    public void wake() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Runs a fire on the pool. */
    void execute(Runnable fire) {
        fires.execute(fire);
    }

    private void loop() {
        lock.lock();
        try {
            while (!closed && !capsules.isEmpty()) {
                long wait = MAX_WAIT_NANOS;
                for (CapsuleCron c : new ArrayList<>(capsules)) {
                    wait = Math.min(wait, c.dispatchDue());
                }
                if (wait > 0) {
                    changed.awaitNanos(wait);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (thread == Thread.currentThread()) {
                thread = null;
            }
            lock.unlock();
        }
    }

    /** Stops the thread and the fires, and unbinds the capsules still bound. */
    @Override
    public void close() {
        Thread t;
        java.util.List<CapsuleCron> left;
        lock.lock();
        try {
            closed = true;
            t = thread;
            left = new ArrayList<>(capsules);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (CapsuleCron c : left) {
            c.close();
        }
        fires.shutdownNow();
        if (t != null) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
