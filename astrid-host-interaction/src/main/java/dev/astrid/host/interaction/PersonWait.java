package dev.astrid.host.interaction;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for a person on a thread of its own, so that the wait is bounded even when the
 * {@link dev.astrid.host.spi.services.Interaction} cannot be interrupted (a terminal read), and so
 * that unloading the capsule ends every wait at once.
 */
final class PersonWait implements AutoCloseable {
    private final ExecutorService threads;
    private final Set<Future<?>> pending = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    PersonWait(ExecutorService threads) {
        this.threads = threads;
    }

    /** How a wait ended without an answer. */
    enum Ending {
        /** The time was up. */
        TIMED_OUT,
        /** The capsule unloaded or its call was stopped. */
        CANCELLED
    }

    /** A wait that ended without an answer, or with the interaction's failure. */
    static final class Ended extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Ending ending;

        Ended(Ending ending, String message) {
            super(message, null, false, false);
            this.ending = ending;
        }

        Ending ending() {
            return ending;
        }
    }

    /**
     * Runs the question and waits for its answer at most {@code timeout}.
     *
     * @throws Ended when the time ran out, the capsule unloaded, or the calling thread was interrupted
     * @throws RuntimeException what the interaction itself threw
     */
    <T> T await(Callable<T> question, Duration timeout) throws Ended {
        // Registered before it can run, so that close() always finds a question that has been asked.
        FutureTask<T> f = new FutureTask<>(question);
        pending.add(f);
        if (closed) {
            pending.remove(f);
            throw new Ended(Ending.CANCELLED, "the capsule is unloading");
        }
        try {
            threads.execute(f);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            pending.remove(f);
            throw new Ended(Ending.CANCELLED, "the host is shutting down");
        }
        try {
            return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new Ended(Ending.TIMED_OUT, "no answer within " + describe(timeout));
        } catch (CancellationException e) {
            throw new Ended(Ending.CANCELLED, "the capsule unloaded while waiting for an answer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Ended(Ending.CANCELLED, "the call was stopped while waiting for an answer");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InterruptedException) {
                throw new Ended(Ending.CANCELLED, "the question was interrupted");
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new IllegalStateException("the interaction failed: " + cause, cause);
        } finally {
            f.cancel(true);
            pending.remove(f);
        }
    }

    /** Ends every wait of this capsule. */
    @Override
    public void close() {
        closed = true;
        for (Future<?> f : pending) {
            f.cancel(true);
        }
    }

    static String describe(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}
