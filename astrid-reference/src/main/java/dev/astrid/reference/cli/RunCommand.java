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
 * or until {@code --for} has passed.
 */
@Command(name = "run", description = "Load capsules, start their run loops and serve until interrupted.")
final class RunCommand implements java.util.concurrent.Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "CAPSULE", description = "Capsule directories.")
    List<Path> dirs;

    @Option(names = "--for", paramLabel = "DURATION", description = "Stop after this long (500ms, 10s, 2m, PT1M).")
    String duration;

    @Option(names = "--ready-timeout", paramLabel = "DURATION", description = "How long to wait for each run loop's readiness (default: 5s).")
    String readyTimeout = "5s";

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
        UplinkConsumer uplinks = m -> {
            say(out, "uplink " + m.capsuleId() + "/" + m.uplinkName() + " -> " + m.platformUserId() + ": " + m.content(), "");
            return true;
        };
        HostConfig cfg = host.toConfig().readyTimeout(ready).uplinkConsumer(uplinks).build();
        CountDownLatch stop = new CountDownLatch(1);
        AtomicInteger failures = new AtomicInteger();
        try (AstridHost h = AstridHost.start(cfg)) {
            Thread hook = new Thread(stop::countDown, "astrid-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            List<LoadedCapsule> loaded = new ArrayList<>();
            for (Path dir : dirs) {
                LoadedCapsule c = h.load(dir);
                loaded.add(c);
                say(out, "loaded " + c.id() + " " + c.manifest().version() + " from " + dir);
                h.installIfNeeded(c).ifPresent(what -> say(out, "ran " + what + " for " + c.id()));
            }
            // Uplink capsules come first, as their readiness gates everything else.
            loaded.sort(Comparator.comparing((LoadedCapsule c) -> !c.manifest().capabilities().uplink()));
            List<Thread> loops = new ArrayList<>();
            for (LoadedCapsule c : loaded) {
                if (!c.hasExport("run")) {
                    continue;
                }
                long started = System.nanoTime();
                Thread t = new Thread(() -> runLoop(c, out, failures), "astrid-run-" + c.id());
                t.setDaemon(true);
                t.start();
                loops.add(t);
                if (c.awaitReady(ready)) {
                    say(out, "ready: " + c.id() + " after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
                } else {
                    say(out, "not ready: " + c.id() + " did not signal readiness within " + ready.toMillis() + " ms; continuing");
                }
            }
            say(out, "serving " + loaded.size() + " capsule(s)" + limit.map(d -> " for " + d.toMillis() + " ms").orElse("; Ctrl-C stops"));
            if (limit.isPresent()) {
                stop.await(limit.get().toMillis(), TimeUnit.MILLISECONDS);
            } else {
                stop.await();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting; the hook has run
            }
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
}
