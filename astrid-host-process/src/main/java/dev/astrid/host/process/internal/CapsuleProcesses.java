package dev.astrid.host.process.internal;

import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.Invocation;
import dev.astrid.sys.abi.ProcessFunctions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The process functions of one capsule. Every check happens before anything is started: the
 * request is read, the command must be named in the capsule's {@code host_process} list (exactly),
 * it must resolve to an executable file the sandbox shows, and a background process needs a free
 * slot. Closing (at unload, or at host exit) kills every process tree the capsule started.
 */
public final class CapsuleProcesses implements ProcessFunctions, AutoCloseable {
    /** How often the host records a running command's descendants. */
    private static final long SAMPLE_MS = 200;
    /** How long the host waits for output to end once a tree is dead (a hang guard only). */
    private static final Duration SETTLE = Duration.ofSeconds(2);
    private static final int QUOTE_MAX = 120;

    private final CapsuleContext capsule;
    private final Limits limits;
    private final Optional<Sandbox> sandbox;
    private final Consumer<CapsuleProcesses> onClose;
    private final Map<Long, Background> background = new LinkedHashMap<>(); // guarded by this
    private final Set<Launched> foreground = ConcurrentHashMap.newKeySet();
    private long nextId = 1; // guarded by this
    private boolean closed; // guarded by this

    /**
     * The functions for one capsule.
     *
     * @param sandbox how commands run; empty when the capsule's {@code host_process} list is empty,
     *     so that it can run nothing
     * @param onClose told once, when the binding closes
     */
    public CapsuleProcesses(CapsuleContext capsule, Limits limits, Optional<Sandbox> sandbox,
            Consumer<CapsuleProcesses> onClose) {
        this.capsule = capsule;
        this.limits = limits;
        this.sandbox = sandbox;
        this.onClose = onClose;
    }

    /** How this capsule's commands run; empty when it may run none. */
    public Optional<Sandbox> sandbox() {
        return sandbox;
    }

    // ---- astrid_spawn_host -------------------------------------------------------------------

    @Override
    public byte[] spawnHost(byte[] request) {
        Prepared prep = prepare(request);
        Capture out = new Capture(limits.maxOutputBytes());
        Capture err = new Capture(limits.maxOutputBytes());
        Launched p = launch(prep, out, err, "fg");
        foreground.add(p);
        boolean killed = false;
        boolean cut = false;
        try {
            if (isClosed()) {
                p.kill(); // close() ran between the start and the registration above
            }
            long deadline = System.nanoTime() + limits.timeout().toNanos();
            while (!p.process.waitFor(Math.max(1, Math.min(SAMPLE_MS, millisUntil(deadline))), TimeUnit.MILLISECONDS)) {
                p.tree.sample();
                if (System.nanoTime() - deadline >= 0) {
                    killed = true;
                    p.kill();
                    break;
                }
            }
            // What the command left running does not outlive it (as in the sandbox's PID namespace).
            p.tree.killLeftovers();
            Duration left = killed ? SETTLE : Duration.ofMillis(Math.max(SETTLE.toMillis(), millisUntil(deadline)));
            if (!p.awaitOutput(left)) {
                // Something the host could not see (a detached grandchild) still holds the output open.
                cut = true;
                p.tree.killLeftovers();
            }
        } catch (InterruptedException e) {
            // The call's own deadline passed, or the capsule is unloading: the tree goes with the call.
            p.kill();
            Thread.currentThread().interrupt();
            throw new HostException("the call was interrupted (timeout or unload) while '" + quote(prep.cmd)
                    + "' ran; its processes were killed");
        } finally {
            foreground.remove(p);
        }
        if (isClosed()) {
            throw new HostException("the capsule was unloaded while '" + quote(prep.cmd) + "' ran; its processes were killed");
        }
        return Replies.finished(out, err, killed ? -1 : p.process.exitValue(), killed || cut);
    }

    // ---- background processes ----------------------------------------------------------------

    @Override
    public byte[] spawnBackgroundHost(byte[] request) {
        Prepared prep = prepare(request);
        synchronized (this) {
            ensureOpen();
            if (background.size() >= limits.maxBackground()) {
                throw new HostException("background process limit reached (" + background.size() + "/"
                        + limits.maxBackground() + "); kill one first");
            }
            long id = nextId++;
            Ring out = new Ring(limits.maxOutputBytes());
            Ring err = new Ring(limits.maxOutputBytes());
            Launched p = launch(prep, out, err, Long.toString(id));
            Thread waiter = new Thread(() -> watch(p), threadName(Long.toString(id)) + "-wait");
            waiter.setDaemon(true);
            waiter.start();
            background.put(id, new Background(p, out, err, waiter));
            return Replies.started(id);
        }
    }

    /** Runs on a background process's waiter thread until the process ends. */
    private static void watch(Launched p) {
        try {
            while (!p.process.waitFor(SAMPLE_MS, TimeUnit.MILLISECONDS)) {
                p.tree.sample();
            }
            p.tree.killLeftovers();
        } catch (InterruptedException e) {
            // Nothing interrupts this thread but the JVM's end; the tree is killed by whoever ends it.
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public byte[] readProcessLogsHost(byte[] request) {
        Requests.Id id = Requests.id(request);
        Background b;
        synchronized (this) {
            ensureOpen();
            b = background.get(id.value());
        }
        if (b == null) {
            throw unknown(id);
        }
        boolean running = b.p.process.isAlive();
        Integer code = null;
        if (!running) {
            code = b.p.process.exitValue();
            // The last bytes may still be in the pipe: let the pumps reach its end first.
            try {
                b.settle(SETTLE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HostException("the call was interrupted while reading the output of process " + id.text());
            }
        }
        return Replies.logs(b.out.drain(), b.err.drain(), running, code);
    }

    @Override
    public byte[] killProcessHost(byte[] request) {
        Requests.Id id = Requests.id(request);
        Background b;
        synchronized (this) {
            ensureOpen();
            b = background.remove(id.value());
        }
        if (b == null) {
            throw unknown(id);
        }
        Integer code = b.p.process.isAlive() ? null : b.p.process.exitValue();
        b.p.kill();
        try {
            b.settle(SETTLE);
        } catch (InterruptedException e) {
            // The tree is dead; answer with what was read, and let the caller see the interrupt.
            Thread.currentThread().interrupt();
        }
        return Replies.killed(b.out.drain(), b.err.drain(), code);
    }

    private static HostException unknown(Requests.Id id) {
        return new HostException("no background process with id " + id.text());
    }

    // ---- lifecycle ---------------------------------------------------------------------------

    /** Kills every process tree of the capsule and waits briefly for their output to end. Idempotent. */
    @Override
    public void close() {
        List<Background> bs;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            bs = new ArrayList<>(background.values());
            background.clear();
        }
        List<Launched> all = new ArrayList<>(foreground);
        bs.forEach(b -> all.add(b.p));
        all.forEach(Launched::kill);
        long deadline = System.nanoTime() + SETTLE.toNanos();
        try {
            for (Background b : bs) {
                b.settle(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
            }
            for (Launched p : foreground) {
                p.awaitOutput(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            onClose.accept(this);
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    private synchronized void ensureOpen() {
        if (closed) {
            throw new HostException("the capsule is unloaded");
        }
    }

    // ---- preparing a command -----------------------------------------------------------------

    private record Prepared(String cmd, List<String> commandLine, Path workspace) {}

    private Prepared prepare(byte[] request) {
        ensureOpen();
        Invocation inv = capsule.currentInvocation();
        if (inv.isLifecycle()) {
            throw new HostException("host processes cannot run during " + inv.export()
                    + " (upstream has no security gate there either)");
        }
        Requests.Command c = Requests.command(request);
        if (sandbox.isEmpty() || !capsule.capabilities().hostProcess().contains(c.cmd())) {
            throw new HostException("security denied host_process: '" + quote(c.cmd())
                    + "' is not in the capsule's host_process list");
        }
        Path ws = workspace();
        Path program = Programs.resolve(c.cmd(), ws);
        if (!sandbox.get().reaches(real(program), ws)) {
            throw new HostException("'" + quote(c.cmd()) + "' lies outside the process sandbox, which shows only /usr, "
                    + "/bin, /sbin, /lib* and the workspace");
        }
        List<String> line = sandbox.get().commandLine(program.toString(), c.args(), ws, hidden(ws),
                !capsule.capabilities().net().isEmpty());
        return new Prepared(c.cmd(), line, ws);
    }

    private Launched launch(Prepared prep, Sink out, Sink err, String tag) {
        try {
            return Launched.start(prep.cmd, prep.commandLine, prep.workspace, Environment.of(prep.workspace), out, err,
                    threadName(tag));
        } catch (IOException e) {
            throw new HostException("cannot start '" + quote(prep.cmd) + "': " + Reasons.ofStart(e));
        }
    }

    private Path workspace() {
        try {
            return capsule.workspace().toRealPath();
        } catch (IOException e) {
            throw new HostException("the capsule's workspace is not available", e);
        }
    }

    /** The host data directory when it lies inside the workspace: the sandbox covers it. */
    private Optional<Path> hidden(Path ws) {
        Path data = real(capsule.hostDataDir());
        return data.startsWith(ws) && !data.equals(ws) ? Optional.of(data) : Optional.empty();
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    private String threadName(String tag) {
        return "astrid-process-" + capsule.capsuleId() + "-" + tag;
    }

    private static long millisUntil(long deadline) {
        return (deadline - System.nanoTime()) / 1_000_000;
    }

    /** A command as far as a message quotes it. */
    private static String quote(String cmd) {
        return cmd.length() <= QUOTE_MAX ? cmd : cmd.substring(0, QUOTE_MAX) + "…";
    }

    /** A background process: its tree, its two rings and the thread that waits for it. */
    private static final class Background {
        final Launched p;
        final Ring out;
        final Ring err;
        final Thread waiter;

        Background(Launched p, Ring out, Ring err, Thread waiter) {
            this.p = p;
            this.out = out;
            this.err = err;
            this.waiter = waiter;
        }

        /** Waits up to {@code limit} for the waiter and both pumps to finish. */
        void settle(Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            waiter.join(Math.max(1, limit.toMillis()));
            p.awaitOutput(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
        }
    }
}
