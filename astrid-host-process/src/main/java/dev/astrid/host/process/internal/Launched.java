package dev.astrid.host.process.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A started process: its tree and the two pumps that read its output. */
final class Launched {
    final String cmd;
    final Process process;
    final ProcessTree tree;
    private final Pump out;
    private final Pump err;

    private Launched(String cmd, Process process, Pump out, Pump err) {
        this.cmd = cmd;
        this.process = process;
        this.tree = new ProcessTree(process);
        this.out = out;
        this.err = err;
    }

    /**
     * Starts a command line in a directory with exactly the environment given, stdin closed.
     *
     * @throws IOException when the program cannot be started
     */
    static Launched start(String cmd, List<String> commandLine, Path dir, Map<String, String> env, Sink stdout,
            Sink stderr, String threadName) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(commandLine).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            // An empty stdin: a command that reads it sees its end at once instead of waiting.
            p.getOutputStream().close();
        } catch (IOException e) {
            // The process already exited; nothing to close.
        }
        Pump o = new Pump(threadName + "-stdout", p.getInputStream(), stdout);
        Pump e = new Pump(threadName + "-stderr", p.getErrorStream(), stderr);
        o.start();
        e.start();
        return new Launched(cmd, p, o, e);
    }

    /** Kills the whole tree. */
    void kill() {
        tree.kill();
    }

    /** Waits up to {@code limit} for both output streams to end; true if they did. */
    boolean awaitOutput(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        boolean o = out.await(limit);
        return err.await(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()))) && o;
    }
}
