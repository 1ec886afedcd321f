package dev.astrid.host.tck;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Looks for real processes on this machine, for tests that must prove a process is gone. A test
 * puts a unique marker into the command lines it starts (an argument such as {@code sleep
 * 3600.4711}, or the {@code $0} of {@code sh -c}) and finds every process that carries it, however
 * deep in the tree and inside whatever sandbox.
 */
public final class HostProcesses {
    private static final Path PROC = Path.of("/proc");

    private HostProcesses() {}

    /** A fresh marker of digits only, usable as a fraction: {@code "sleep 3600." + marker} sleeps an hour. */
    public static String marker() {
        return Long.toString(UUID.randomUUID().getMostSignificantBits() & Long.MAX_VALUE);
    }

    /** The live (not zombie) processes whose command line contains {@code marker}. */
    public static List<ProcessHandle> withMarker(String marker) {
        return ProcessHandle.allProcesses().filter(h -> running(h) && commandLine(h).contains(marker))
                .collect(Collectors.toList());
    }

    /** The pids of {@link #withMarker(String)}, for messages. */
    public static Set<Long> pids(String marker) {
        return withMarker(marker).stream().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /** Whether a process still runs: alive and not a zombie waiting to be reaped. */
    public static boolean running(ProcessHandle h) {
        if (!h.isAlive()) {
            return false;
        }
        Path stat = PROC.resolve(Long.toString(h.pid())).resolve("stat");
        if (!Files.exists(PROC)) {
            return true;
        }
        try {
            String s = Files.readString(stat, StandardCharsets.ISO_8859_1);
            int close = s.lastIndexOf(')');
            return close < 0 || close + 2 >= s.length() || s.charAt(close + 2) != 'Z';
        } catch (IOException e) {
            return false; // gone between the two looks
        }
    }

    /** The command line of a process, arguments separated by spaces; empty when it cannot be read. */
    public static String commandLine(ProcessHandle h) {
        Path cmdline = PROC.resolve(Long.toString(h.pid())).resolve("cmdline");
        if (Files.exists(PROC)) {
            try {
                return new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).replace('\0', ' ');
            } catch (IOException e) {
                return "";
            }
        }
        return h.info().commandLine().orElse("");
    }

    /**
     * Waits until at least {@code n} processes {@code sleep 3600.<marker>} run, the leaves of a test's
     * tree: once they run, so does everything above them (a script, a sandbox); false if the limit
     * passed first.
     */
    public static boolean awaitSleeping(String marker, int n, Duration limit) {
        return await(limit, () -> withMarker(marker).stream().filter(h -> isSleep(commandLine(h))).count() >= n);
    }

    private static boolean isSleep(String commandLine) {
        String program = commandLine.split(" ", 2)[0];
        return program.equals("sleep") || program.endsWith("/sleep");
    }

    /** Waits until no process carries the marker; false if the limit passed first. */
    public static boolean awaitGone(String marker, Duration limit) {
        return await(limit, () -> withMarker(marker).isEmpty());
    }

    /** Polls a condition every 10 ms until it holds or the limit passes; answers whether it held. */
    public static boolean await(Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            LockSupport.parkNanos(10_000_000);
        }
    }
}
