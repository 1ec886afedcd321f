package dev.astrid.engine;

import dev.astrid.engine.internal.CallerThread;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads on which guest calls run directly. A call made on any other thread is handed to the
 * guest's own thread and the caller waits, which costs two thread switches; on a thread from
 * {@link #factory} whose stack is at least {@link EngineOptions#stackBytes()}, the call runs on the
 * caller's thread (unless that thread is already inside a guest call, or another call holds the
 * instance). Timeouts and unload interrupt such a call just the same.
 */
public final class CallerThreads {
    private CallerThreads() {}

    /**
     * A factory of daemon threads named {@code prefix-1}, {@code prefix-2}, ... with the given
     * stack size, on which guest calls run directly.
     *
     * @param stackBytes the stack of each thread; guests whose options ask for more are handed off
     */
    public static ThreadFactory factory(String prefix, long stackBytes) {
        if (stackBytes <= 0) {
            throw new IllegalArgumentException("stack size must be positive, got " + stackBytes);
        }
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread t = new CallerThread(task, prefix + "-" + n.incrementAndGet(), stackBytes);
            t.setDaemon(true);
            return t;
        };
    }

    /** Whether the current thread came from {@link #factory}. */
    public static boolean isCallerThread() {
        return Thread.currentThread() instanceof CallerThread;
    }
}
