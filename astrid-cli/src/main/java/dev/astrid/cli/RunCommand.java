package dev.astrid.cli;

import dev.astrid.host.spi.UplinkConsumer;
import dev.astrid.reference.CapsuleRunner;
import dev.astrid.reference.HostConfig;
import dev.astrid.host.spi.PrintableText;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code astrid run}: parses its options and prints what a {@link CapsuleRunner} reports (it loads
 * capsules, installs them on first load, starts their {@code run} exports one after another,
 * waiting for each to signal readiness, and serves until interrupted or until {@code --for} has passed). {@code --for} bounds the whole command: when it is over
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
        CapsuleRunner runner = new CapsuleRunner(cfg, line -> say(out, line));
        Thread hook = new Thread(() -> runner.stop("interrupted"), "astrid-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            int code = runner.run(dirs, limit);
            java.util.List<String> missing = host.interaction.missingKeys();
            if (!missing.isEmpty()) {
                say(out, "the install needs answers that nobody was at a terminal to give: " + String.join(", ", missing)
                        + "; give each with --answer KEY=VALUE or in an --answers file");
            }
            return code;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting; the hook has run
            }
        }
    }

    /** One host line, its advice worded as options; capsule names, versions and messages in it are escaped. */
    private static void say(PrintWriter out, String line) {
        say(out, CliWording.of(line), "astrid: ");
    }

    private static void say(PrintWriter out, String line, String prefix) {
        synchronized (out) {
            out.println(prefix + PrintableText.escape(line));
            out.flush();
        }
    }
}
