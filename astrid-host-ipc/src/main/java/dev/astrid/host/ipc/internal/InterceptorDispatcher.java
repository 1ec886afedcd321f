package dev.astrid.host.ipc.internal;

import dev.astrid.host.spi.CapsuleHandle;
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
 * its {@code astrid_hook_trigger} export (CONTRACT §4.8).
 *
 * <p>Calls run on one worker thread per capsule, in publish order, never on the publisher's thread.
 * The backlog is bounded: when it is full a delivery is dropped and logged. A failing call is
 * logged and never reaches the publisher.
 */
public final class InterceptorDispatcher implements Recipient {
    static final String EXPORT = "astrid_hook_trigger";

    private final List<Interceptor> interceptors;
    private final RouteKey routeKey;
    private final CapsuleHandle capsule;
    private final System.Logger log;
    private final Duration timeout;
    private final ThreadPoolExecutor worker;
    private final AtomicLong dropped = new AtomicLong();

    InterceptorDispatcher(CapsuleHandle capsule, List<Interceptor> interceptors, IpcSettings settings,
            System.Logger log) {
        this.capsule = capsule;
        this.interceptors = List.copyOf(interceptors);
        this.log = log;
        this.timeout = settings.hookTimeout();
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
        for (Interceptor interceptor : interceptors) {
            if (TopicPatterns.aclMatches(message.topic(), interceptor.event())) {
                submit(message, interceptor.action());
            }
        }
    }

    private void submit(Posted message, String action) {
        try {
            worker.execute(() -> call(message, action));
        } catch (RejectedExecutionException e) {
            if (worker.isShutdown()) {
                return;
            }
            long n = dropped.incrementAndGet();
            // Log the first drop and then every power of ten, so an overloaded capsule cannot flood the log.
            if (isPowerOfTen(n)) {
                log.log(System.Logger.Level.WARNING, "interceptor backlog of capsule " + capsule.id()
                        + " is full: dropped the delivery of message " + message.seq() + " on '" + message.topic()
                        + "' to action '" + action + "' (" + n + " dropped so far)");
            }
        }
    }

    private static boolean isPowerOfTen(long n) {
        while (n >= 10 && n % 10 == 0) {
            n /= 10;
        }
        return n == 1;
    }

    private void call(Posted message, String action) {
        if (!capsule.isLoaded()) {
            return;
        }
        byte[] input = HookInput.encode(action, message.payload().interceptorArgument());
        Invocation.Caller caller = new Invocation.Caller(null, null, message.sourceId(), message.timestamp());
        try {
            capsule.call(EXPORT, input, caller, timeout);
        } catch (RuntimeException e) {
            log.log(System.Logger.Level.WARNING, "interceptor '" + action + "' of capsule " + capsule.id()
                    + " failed on message " + message.seq() + " ('" + message.topic() + "'): " + e.getMessage(), e);
        }
    }

    /** How many deliveries were dropped because the backlog was full. */
    long droppedCount() {
        return dropped.get();
    }

    /** Stops the worker: queued deliveries are discarded and a running call is interrupted. */
    void shutdown() {
        worker.shutdownNow();
    }

    @Override
    public String toString() {
        return "interceptors of " + capsule.id();
    }
}
