package dev.astrid.reference.cli;

import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.UplinkConsumer;
import dev.astrid.reference.AstridHost;
import dev.astrid.reference.HostConfig;
import dev.astrid.reference.LoadedCapsule;
import dev.astrid.reference.host.PrintableText;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code astrid run}: loads capsules, installs them on first load, starts their {@code run}
 * exports one after another (waiting for each to signal readiness), and serves until interrupted
 * or until {@code --for} has passed. {@code --for} bounds the whole command: when it is over
 * during loading, an install hook or a readiness wait, that step is cut short, the command says
 * which, and exits 1.
 */
@Command(name = "run", description = "Load capsules, start their run loops and serve until interrupted.")
final class RunCommand implements java.util.concurrent.Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "CAPSULE", description = "Capsule directories.")
    List<Path> dirs;

    @Option(names = "--for", paramLabel = "DURATION",
            description = "Stop after this long, counted from the start: loading, install hooks and readiness waits included (500ms, 10s, 2m, PT1M).")
    String duration;

    @Option(names = "--ready-timeout", paramLabel = "DURATION", description = "How long to wait for each run loop's readiness (default: 5s).")
    String readyTimeout = "5s";

    @Option(names = "--install-timeout", paramLabel = "DURATION",
            description = "How long astrid_install or astrid_upgrade may run (default: 60s; 0s for no limit).")
    String installTimeout = "60s";

    @Mixin
    HostOptions host;

    @Spec
    CommandSpec spec;

    @ParentCommand
    AstridCli cli;

    @Override
    public Integer call() throws InterruptedException {
        CliLogging.configure(host.logLevel, cli.stderr);
        PrintWriter out = spec.commandLine().getOut();
        Optional<Duration> limit = duration == null ? Optional.empty() : Optional.of(HostOptions.parseDuration(duration));
        Duration ready = HostOptions.parseDuration(readyTimeout);
        Duration install = HostOptions.parseDuration(installTimeout);
        UplinkConsumer uplinks = m -> {
            say(out, "uplink " + m.capsuleId() + "/" + m.uplinkName() + " -> " + m.platformUserId() + ": " + m.content(), "");
            return true;
        };
        HostConfig cfg = host.toConfig().readyTimeout(ready).installTimeout(install).uplinkConsumer(uplinks).build();
        Stopper stopper = new Stopper(Thread.currentThread());
        Thread hook = new Thread(() -> stopper.stop("interrupted"), "astrid-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        limit.ifPresent(d -> stopper.stopAfter(d, "--for " + d.toMillis() + " ms is over"));
        try (AstridHost h = AstridHost.start(cfg)) {
            try {
                return startAndServe(h, out, ready, limit, stopper);
            } catch (InterruptedException | RuntimeException e) {
                if (!stopper.requested()) {
                    throw e;
                }
                // Whatever the interrupt surfaced as (an unloaded call, an interrupted wait), the step was cut short.
                say(out, "stopped: " + stopper.reason() + " while " + stopper.phase() + ", which was cut short");
                return 1;
            } finally {
                stopper.finish();
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting; the hook has run
            }
        }
    }

    private int startAndServe(AstridHost h, PrintWriter out, Duration ready, Optional<Duration> limit, Stopper stopper)
            throws InterruptedException {
        AtomicInteger failures = new AtomicInteger();
        List<LoadedCapsule> loaded = new ArrayList<>();
        for (Path dir : dirs) {
            stopper.phase("loading " + dir);
            LoadedCapsule c = h.load(dir);
            stopper.check();
            loaded.add(c);
            say(out, "loaded " + c.id() + " " + c.manifest().version() + " from " + dir);
            stopper.phase("running the install hook of " + c.id());
            stopper.check();
            try {
                h.installIfNeeded(c).ifPresent(what -> say(out, "ran " + what + " for " + c.id()));
            } catch (GuestCallException e) {
                if (stopper.requested()) {
                    throw e;
                }
                say(out, "the install hook of " + c.id() + " failed: " + e.getMessage());
                return 1;
            }
        }
        // Uplink capsules come first, as their readiness gates everything else.
        loaded.sort(Comparator.comparing((LoadedCapsule c) -> !c.manifest().capabilities().uplink()));
        for (LoadedCapsule c : loaded) {
            if (!c.hasExport("run")) {
                continue;
            }
            long started = System.nanoTime();
            Thread t = new Thread(() -> runLoop(c, out, failures), "astrid-run-" + c.id());
            t.setDaemon(true);
            t.start();
            stopper.phase("waiting for " + c.id() + " to signal readiness");
            stopper.check();
            if (c.awaitReady(ready)) {
                say(out, "ready: " + c.id() + " after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
            } else {
                say(out, "not ready: " + c.id() + " did not signal readiness within " + ready.toMillis() + " ms; continuing");
            }
        }
        say(out, "serving " + loaded.size() + " capsule(s)" + limit.map(d -> " for " + d.toMillis() + " ms").orElse("; Ctrl-C stops"));
        stopper.phase("serving");
        if (stopper.serve()) {
            say(out, "stopping (" + stopper.reason() + ")");
        } else {
            say(out, "stopping");
        }
        return failures.get() == 0 ? 0 : 1;
    }

    private static void runLoop(LoadedCapsule c, PrintWriter out, AtomicInteger failures) {
        try {
            c.call("run", new byte[0], Invocation.Caller.NONE, Duration.ZERO);
            say(out, "run loop of " + c.id() + " returned");
        } catch (GuestCallException e) {
            if (e.kind() != GuestCallException.Kind.UNLOADED) {
                failures.incrementAndGet();
                say(out, "run loop of " + c.id() + " failed: " + e.getMessage());
            }
        }
    }

    /** One host line; capsule names, versions and messages in it are escaped. */
    private static void say(PrintWriter out, String line) {
        say(out, line, "astrid: ");
    }

    private static void say(PrintWriter out, String line, String prefix) {
        synchronized (out) {
            out.println(prefix + PrintableText.escape(line));
            out.flush();
        }
    }

    /**
     * Stops the command from another thread (the {@code --for} timer or the shutdown hook): it
     * records why, and interrupts the command's thread, which ends whatever step it is in. After
     * {@link #finish()} it interrupts nothing more, so the interrupt never outlives the command.
     */
    private static final class Stopper {
        private final Thread main;
        private final CountDownLatch stop = new CountDownLatch(1);
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile String phase = "starting";
        private volatile String reason;
        private boolean finished;

        Stopper(Thread main) {
            this.main = main;
        }

        /** Starts a daemon thread that stops the command after {@code limit} unless it ended first. */
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
            main.interrupt();
        }

        boolean requested() {
            return reason != null;
        }

        /**
         * Throws when a stop was requested. Code a step runs may catch and swallow the interrupt
         * (a provider opening a file, say), so the command checks before each step that blocks.
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
                // stop() interrupts as it counts down; either way the command is stopping
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
