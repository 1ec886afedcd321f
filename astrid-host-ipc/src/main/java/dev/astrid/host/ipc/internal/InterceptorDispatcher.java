package dev.astrid.host.ipc.internal;

import dev.astrid.host.spi.CapsuleHandle;
import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.manifest.CapsuleManifest.Interceptor;
import dev.astrid.host.spi.security.TopicPatterns;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers bus messages to the interceptors of a capsule without a {@code run} export by calling
 * its {@code astrid_hook_trigger} export (docs/families/ipc.md, "Interceptors").
 *
 * <p>Calls run on one worker thread per capsule, in publish order, never on the publisher's thread.
 * The backlog is bounded twice: in messages ({@code ipc.hook-backlog}) and in payload bytes, which
 * it draws from the capsule's budget ({@code ipc.capsule-max-bytes}, shared with its subscription
 * queues) from the moment a message is queued until its last call returns. A message that does not
 * fit is dropped and logged. A failing call, whatever it throws, is logged and never reaches the
 * publisher, and the worker lives on.
 */
public final class InterceptorDispatcher implements Recipient {
    static final String EXPORT = "astrid_hook_trigger";

    private final List<Interceptor> interceptors;
    private final RouteKey routeKey;
    private final CapsuleHandle capsule;
    private final System.Logger log;
    private final Duration timeout;
    private final ByteBudget budget;
    private final ThreadPoolExecutor worker;
    private final AtomicLong dropped = new AtomicLong();

    InterceptorDispatcher(CapsuleHandle capsule, List<Interceptor> interceptors, IpcSettings settings,
            ByteBudget budget, System.Logger log) {
        this.capsule = capsule;
        this.interceptors = List.copyOf(interceptors);
        this.log = log;
        this.timeout = settings.hookTimeout();
        this.budget = budget;
        List<String> events = new ArrayList<>();
        for (Interceptor i : interceptors) {
            events.add(i.event());
        }
        this.routeKey = RouteKey.forAcl(events);
        // One thread, a bounded FIFO, and refusal when full: serial, ordered and bounded by construction.
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(settings.hookBacklog()), r -> {
                    Thread t = new Thread(r, "astrid-ipc-hooks-" + capsule.id());
                    t.setDaemon(true);
                    return t;
                });
    }

    @Override
    public RouteKey routeKey() {
        return routeKey;
    }

    @Override
    public void offer(Posted message) {
        List<String> actions = null;
        for (Interceptor interceptor : interceptors) {
            if (TopicPatterns.aclMatches(message.topic(), interceptor.event())) {
                if (actions == null) {
                    actions = new ArrayList<>(2);
                }
                actions.add(interceptor.action());
            }
        }
        if (actions != null) {
            submit(new Delivery(message, actions));
        }
    }

    private void submit(Delivery delivery) {
        if (!budget.tryTake(delivery.size)) {
            drop(delivery, "the capsule's IPC byte budget is spent");
            return;
        }
        try {
            worker.execute(delivery);
        } catch (RejectedExecutionException e) {
            budget.give(delivery.size);
            if (!worker.isShutdown()) {
                drop(delivery, "the backlog is full");
            }
        }
    }

    private void drop(Delivery delivery, String why) {
        long n = dropped.incrementAndGet();
        // Log the first drop and then every power of ten, so an overloaded capsule cannot flood the log.
        if (isPowerOfTen(n)) {
            log.log(System.Logger.Level.WARNING, "interceptors of capsule " + capsule.id() + ": " + why
                    + ": dropped message " + delivery.message.seq() + " on '" + delivery.message.topic() + "' for "
                    + delivery.actions + " (" + n + " dropped so far)");
        }
    }

    private static boolean isPowerOfTen(long n) {
        while (n >= 10 && n % 10 == 0) {
            n /= 10;
        }
        return n == 1;
    }

    /** One message and the actions of the interceptors it matched, in manifest order. */
    private final class Delivery implements Runnable {
        final Posted message;
        final List<String> actions;
        final int size;

        Delivery(Posted message, List<String> actions) {
            this.message = message;
            this.actions = actions;
            this.size = message.payload().length();
        }

        @Override
        public void run() {
            try {
                for (String action : actions) {
                    if (worker.isShutdown() || !capsule.isLoaded()) {
                        return;
                    }
                    call(message, action);
                }
            } finally {
                budget.give(size);
            }
        }
    }

    private void call(Posted message, String action) {
        try {
            byte[] input = message.payload().hookInput(action);
            Invocation.Caller caller = new Invocation.Caller(null, null, message.sourceId(), message.timestamp());
            capsule.call(EXPORT, input, caller, timeout);
        } catch (Throwable t) {
            // Whatever failed (a trap, a timeout, even an OutOfMemoryError) ends this call only.
            if (worker.isShutdown()) {
                return; // unloading: the call was interrupted on purpose
            }
            try {
                String what = "interceptor '" + action + "' of capsule " + capsule.id() + " failed on message "
                        + message.seq() + " ('" + message.topic() + "'): ";
                if (t instanceof GuestCallException) {
                    // The guest's own failure: its message says it all.
                    log.log(System.Logger.Level.WARNING, what + t.getMessage());
                } else {
                    log.log(System.Logger.Level.WARNING, what + t, t);
                }
            } catch (Throwable logFailed) {
                // Logging needs memory too; when even that fails there is nothing left to report with.
            }
        }
    }

    /** How many messages were dropped because the backlog or the byte budget was full. */
    long droppedCount() {
        return dropped.get();
    }

    /** Stops the worker: queued deliveries are discarded (their bytes returned), a running call is interrupted. */
    void shutdown() {
        for (Runnable r : worker.shutdownNow()) {
            if (r instanceof Delivery) {
                budget.give(((Delivery) r).size);
            }
        }
    }

    @Override
    public String toString() {
        return "interceptors of " + capsule.id();
    }
}
