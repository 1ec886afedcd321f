package dev.astrid.reference;

import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.Invocation;
import dev.astrid.sys.abi.GuestExports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs capsules the way {@code astrid run} does: starts a host, loads each capsule directory,
 * installs or upgrades it on first load, starts the {@code run} exports one after another (uplink
 * capsules first, waiting for each to signal readiness), and serves until {@link #stop} or until
 * the time limit, which bounds the whole run: when it is over during loading, an install hook or a
 * readiness wait, that step is cut short and the run says which.
 *
 * <p>What happens is reported as one line per event to the consumer given at construction; lines
 * hold capsule-chosen text (names, versions, messages), so a consumer that prints them escapes them.
 */
public final class CapsuleRunner {
    private final HostConfig config;
    private final Consumer<String> report;
    private final Stopper stopper = new Stopper();

    /**
     * A runner.
     *
     * @param config the host to start; its {@link HostConfig#readyTimeout()} bounds each readiness wait
     * @param report receives one line per event
     */
    public CapsuleRunner(HostConfig config, Consumer<String> report) {
        this.config = Objects.requireNonNull(config);
        this.report = Objects.requireNonNull(report);
    }

    /**
     * Runs capsules until stopped or until {@code limit} has passed since the call, then unloads them
     * and closes the host. Call it once, on the thread that is to be interrupted when the run stops.
     *
     * @return 0 when every step went well and no run loop failed; 1 when an install hook or a run
     *     loop failed, or the limit cut a step short
     * @throws InterruptedException when the calling thread is interrupted by someone else
     */
    public int run(List<Path> capsuleDirs, Optional<Duration> limit) throws InterruptedException {
        stopper.start(Thread.currentThread());
        limit.ifPresent(d -> stopper.stopAfter(d, "the time limit of " + d.toMillis() + " ms is over"));
        try (AstridHost h = AstridHost.start(config)) {
            try {
                return startAndServe(h, capsuleDirs, limit);
            } catch (InterruptedException | RuntimeException e) {
                if (!stopper.requested()) {
                    throw e;
                }
                // Whatever the interrupt surfaced as (an unloaded call, an interrupted wait), the step was cut short.
                report.accept("stopped: " + stopper.reason() + " while " + stopper.phase() + ", which was cut short");
                return 1;
            } finally {
                stopper.finish();
            }
        }
    }

    /** Stops a run from another thread (a shutdown hook, say), saying why. Does nothing once the run is over. */
    public void stop(String why) {
        stopper.stop(why);
    }

    private int startAndServe(AstridHost h, List<Path> dirs, Optional<Duration> limit) throws InterruptedException {
        Duration ready = config.readyTimeout();
        AtomicInteger failures = new AtomicInteger();
        List<LoadedCapsule> loaded = new ArrayList<>();
        for (Path dir : dirs) {
            stopper.phase("loading " + dir);
            LoadedCapsule c = h.load(dir);
            stopper.check();
            loaded.add(c);
            report.accept("loaded " + c.id() + " " + c.manifest().version() + " from " + dir);
            report.accept("profile of " + c.id() + ": " + c.profileChoice());
            stopper.phase("running the install hook of " + c.id());
            stopper.check();
            try {
                h.installIfNeeded(c).ifPresent(what -> report.accept("ran " + what + " for " + c.id()));
            } catch (GuestCallException e) {
                if (stopper.requested()) {
                    throw e;
                }
                report.accept("the install hook of " + c.id() + " failed: " + e.getMessage());
                return 1;
            }
        }
        // Uplink capsules come first, as their readiness gates everything else.
        loaded.sort(Comparator.comparing((LoadedCapsule c) -> !c.manifest().capabilities().uplink()));
        for (LoadedCapsule c : loaded) {
            if (!c.hasExport(GuestExports.RUN)) {
                continue;
            }
            long started = System.nanoTime();
            Thread t = new Thread(() -> runLoop(c, failures), "astrid-run-" + c.id());
            t.setDaemon(true);
            t.start();
            stopper.phase("waiting for " + c.id() + " to signal readiness");
            stopper.check();
            if (c.awaitReady(ready)) {
                report.accept("ready: " + c.id() + " after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
            } else {
                report.accept("not ready: " + c.id() + " did not signal readiness within " + ready.toMillis() + " ms; continuing");
            }
        }
        report.accept("serving " + loaded.size() + " capsule(s)" + limit.map(d -> " for " + d.toMillis() + " ms").orElse("; Ctrl-C stops"));
        stopper.phase("serving");
        if (stopper.serve()) {
            report.accept("stopping (" + stopper.reason() + ")");
        } else {
            report.accept("stopping");
        }
        return failures.get() == 0 ? 0 : 1;
    }

    private void runLoop(LoadedCapsule c, AtomicInteger failures) {
        try {
            c.call(GuestExports.RUN, new byte[0], Invocation.Caller.NONE, Duration.ZERO);
            report.accept("run loop of " + c.id() + " returned");
        } catch (GuestCallException e) {
            if (e.kind() != GuestCallException.Kind.UNLOADED) {
                failures.incrementAndGet();
                report.accept("run loop of " + c.id() + " failed: " + e.getMessage());
            }
        }
    }

    /**
     * Stops the run from another thread (the time limit or {@link #stop}): it records why, and
     * interrupts the running thread, which ends whatever step it is in. After {@link #finish()} it
     * interrupts nothing more, so the interrupt never outlives the run.
     */
    private static final class Stopper {
        private final CountDownLatch stop = new CountDownLatch(1);
        private final CountDownLatch done = new CountDownLatch(1);
        private Thread main;
        private volatile String phase = "starting";
        private volatile String reason;
        private boolean finished;

        synchronized void start(Thread runner) {
            if (main != null) {
                throw new IllegalStateException("a CapsuleRunner runs once");
            }
            main = runner;
        }

        /** Starts a daemon thread that stops the run after {@code limit} unless it ended first. */
        void stopAfter(Duration limit, String why) {
            Thread timer = new Thread(() -> {
                try {
                    if (!done.await(limit.toNanos(), TimeUnit.NANOSECONDS)) {
                        stop(why);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "astrid-run-limit");
            timer.setDaemon(true);
            timer.start();
        }

        synchronized void stop(String why) {
            if (finished || reason != null) {
                return;
            }
            reason = why;
            stop.countDown();
            if (main != null) {
                main.interrupt();
            }
        }

        boolean requested() {
            return reason != null;
        }

        /**
         * Throws when a stop was requested. Code a step runs may catch and swallow the interrupt
         * (a provider opening a file, say), so the run checks before each step that blocks.
         */
        void check() {
            if (requested()) {
                throw new IllegalStateException("stop requested: " + reason);
            }
        }

        String reason() {
            return reason;
        }

        void phase(String now) {
            phase = now;
        }

        String phase() {
            return phase;
        }

        /** Waits for a stop; true when one was requested (false only if the wait itself was cut). */
        boolean serve() {
            try {
                stop.await();
            } catch (InterruptedException e) {
                // stop() interrupts as it counts down; either way the run is stopping
            }
            return requested();
        }

        /** Ends the stopper: no interrupt after this, and a pending one is cleared. */
        void finish() {
            synchronized (this) {
                finished = true;
            }
            done.countDown();
            Thread.interrupted();
        }
    }
}
