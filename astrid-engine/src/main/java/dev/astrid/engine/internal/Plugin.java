package dev.astrid.engine.internal;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.GlobalInstance;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.MutabilityType;
import com.dylibso.chicory.wasm.types.ValType;
import dev.astrid.engine.EngineOptions;
import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.GuestCallException.Kind;
import dev.astrid.host.spi.Invocation;
import dev.astrid.engine.kernel.ExtismKernel;
import dev.astrid.engine.kernel.KernelTrap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One live instance of a module with its kernel, and the thread that runs its calls when the
 * caller cannot.
 *
 * <p>An instance runs one call at a time (a permit guards it). A call made on a {@link CallerThread}
 * with a big enough stack that is not already inside a guest call runs right there, on the
 * caller's thread, when the instance is free. Every other call is queued and run on the plugin's
 * own thread (big stack, named after the plugin), and the caller waits for it. Either way a call
 * that runs past its timeout has its thread interrupted, which Chicory notices at the next
 * function entry or loop back-edge: for a queued call the waiting caller does that, for a direct
 * call the plugin thread watches the deadline while it has nothing queued. After any call that
 * did not return normally the guest's mutable globals are restored to what they were before the
 * call, so a leaked shadow-stack pointer cannot wreck later calls.
 */
public final class Plugin implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("astrid.engine");
    private static final String INIT = "(initialize)";

    private final CompiledModule module;
    private final ExtismKernel kernel;
    private final EngineOptions options;
    private final LinkedBlockingQueue<Call> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final Instance instance;
    /** One call at a time: held by the thread running a call, whichever it is. */
    private final Semaphore permit = new Semaphore(1);
    private volatile boolean closed;
    private volatile Call current;
    /**
     * Until when (nanoTime) the plugin thread waits before it looks at the running direct call's
     * deadline again; a direct call with an earlier deadline wakes it (see {@link #watch}).
     */
    private volatile long watchUntil;
    /**
     * The export functions called so far, and the array the globals are saved into before each
     * call: both used only by the thread holding {@link #permit}, which publishes them to the next.
     */
    private final java.util.Map<String, ExportFunction> exportFunctions = new java.util.HashMap<>();
    private long[] savedGlobals;
    /** The guest's own memory, once instantiated; null when it imports its memory or has none. */
    private GrowWatchedMemory memory;

    /**
     * Instantiates a module and runs its initializer ({@code _initialize}, {@code __wasm_call_ctors}
     * or a command module's {@code _start}).
     *
     * @param imports every function the module imports (kernel, WASI and user functions)
     * @param initTimeout how long the initializer may run; {@link Duration#ZERO} for no limit
     * @throws GuestCallException if instantiation or the initializer fails or times out
     */
    public Plugin(CompiledModule module, ExtismKernel kernel, List<HostFunction> imports, EngineOptions options,
            Duration initTimeout) {
        this.module = module;
        this.kernel = kernel;
        this.options = options;
        this.thread = new Thread(null, this::loop, "astrid-" + module.name(), options.stackBytes());
        this.thread.setDaemon(true);
        this.thread.start();
        CompletableFuture<Instance> made = new CompletableFuture<>();
        Call init = new Call(INIT, new byte[0], Invocation.Caller.NONE) {
            @Override
            byte[] run() {
                made.complete(instantiate(imports));
                return new byte[0];
            }
        };
        try {
            submit(init, initTimeout);
            this.instance = made.getNow(null);
        } catch (GuestCallException e) {
            close();
            throw e;
        }
    }

    private Instance instantiate(List<HostFunction> imports) {
        int cap = options.maxGuestPages();
        Instance.Builder b = Instance.builder(module.module())
                .withImportValues(ImportValues.builder().withFunctions(new ArrayList<>(imports)).build())
                .withStart(false)
                .withMemoryFactory(l -> {
                    int max = Math.min(l.maximumPages(), cap);
                    if (l.initialPages() > max) {
                        throw new GuestCallException(Kind.OUT_OF_MEMORY, module.name() + " needs " + l.initialPages()
                                + " pages of memory at start, over the limit of " + cap + " pages");
                    }
                    memory = new GrowWatchedMemory(new MemoryLimits(l.initialPages(), max, l.shared()));
                    return memory;
                });
        if (module.machineFactory() != null) {
            b.withMachineFactory(module.machineFactory());
        }
        Instance inst = b.build();
        kernel.beginCall(new byte[0]);
        for (String init : List.of("_initialize", "__wasm_call_ctors", "_start")) {
            if (module.exports(init) && module.functionExports().get(init).params().isEmpty()) {
                try {
                    inst.export(init).apply();
                } catch (WasiExitException e) {
                    if (e.exitCode() != 0) {
                        throw new GuestCallException(Kind.GUEST_ERROR, init + " exited with code " + e.exitCode());
                    }
                }
                break;
            }
        }
        return inst;
    }

    /** The call running on the current thread, or {@link Invocation#NONE}. */
    public Invocation currentInvocation() {
        Call c = current;
        if (c == null || Thread.currentThread() != c.worker) {
            return Invocation.NONE;
        }
        return new Invocation(c.export, c.caller, c.deadlineNanos);
    }

    /** Whether a call of this plugin is running on the thread. */
    public boolean runsOn(Thread t) {
        Call c = current;
        return c != null && c.worker == t;
    }

    /**
     * Calls an export and returns its output.
     *
     * @param timeout how long the guest may run once started; {@link Duration#ZERO} for no limit
     * @throws GuestCallException for every way the call can fail
     */
    public byte[] call(String export, byte[] input, Invocation.Caller caller, Duration timeout) {
        FunctionType type = module.functionExports().get(export);
        if (type == null) {
            throw new GuestCallException(Kind.NO_SUCH_EXPORT, "no export named '" + export + "'");
        }
        if (!type.params().isEmpty() || type.returns().size() > 1
                || (type.returns().size() == 1 && !ValType.I32.equals(type.returns().get(0)))) {
            throw new GuestCallException(Kind.NO_SUCH_EXPORT, "export '" + export + "' has type " + type
                    + "; a plugin function takes nothing and returns an i32 or nothing");
        }
        Call call = new Call(export, input, caller) {
            @Override
            byte[] run() {
                return invoke(this);
            }
        };
        Thread me = Thread.currentThread();
        // A queued call waiting for the permit goes first: direct callers must not starve it.
        if (me instanceof CallerThread && ((CallerThread) me).canRunGuest(options.stackBytes()) && !me.isInterrupted()
                && !permit.hasQueuedThreads() && permit.tryAcquire()) {
            return runHere(call, (CallerThread) me, timeout);
        }
        return submit(call, timeout);
    }

    /** Runs a call on the caller's own thread; the caller holds the permit, which this releases. */
    private byte[] runHere(Call call, CallerThread me, Duration timeout) {
        try {
            if (!timeout.isZero() && !timeout.isNegative()) {
                call.timeout = timeout;
                call.deadlineNanos = OptionalLong.of(System.nanoTime() + timeout.toNanos());
            }
            // Publish the call before checking `closed`, so that close() either sees it or we see close().
            current = call;
            if (closed) {
                throw new GuestCallException(Kind.UNLOADED, "the capsule is unloaded");
            }
            if (!call.start(me, false)) {
                throw new GuestCallException(Kind.UNLOADED, "the capsule was unloaded");
            }
            if (call.deadlineNanos.isPresent() && call.deadlineNanos.getAsLong() - watchUntil < 0) {
                queue.add(WAKE);
            }
            me.enterGuest();
            Throwable failure = null;
            try {
                return call.run();
            } catch (GuestCallException e) {
                failure = e;
                throw e;
            } catch (Throwable t) {
                GuestCallException e = classify(call, t);
                failure = e;
                throw e;
            } finally {
                me.exitGuest();
                kernel.endCall();
                call.finish();
                if (failure != null && call.abortKind == null && isInterrupt(failure.getCause())) {
                    // Someone else interrupted the caller's thread: leave it interrupted for them.
                    me.interrupt();
                }
            }
        } finally {
            current = null;
            permit.release();
        }
    }

    private static boolean isInterrupt(Throwable t) {
        return t instanceof ChicoryInterruptedException;
    }

    private byte[] submit(Call call, Duration timeout) {
        Call running = current;
        if (Thread.currentThread() == thread || (running != null && running.worker == Thread.currentThread())) {
            throw new GuestCallException(Kind.REENTRANT, "cannot call '" + call.export
                    + "' while the same capsule is running a call (re-entrant call)");
        }
        if (closed) {
            throw new GuestCallException(Kind.UNLOADED, "the capsule is unloaded");
        }
        if (!timeout.isZero() && !timeout.isNegative()) {
            call.timeout = timeout;
            call.deadlineNanos = OptionalLong.of(System.nanoTime() + timeout.toNanos());
        }
        queue.add(call);
        try {
            awaitBriefly(call);
            if (timeout.isZero() || timeout.isNegative()) {
                return call.result.get();
            }
            try {
                return call.result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                call.abort(Kind.TIMEOUT, "timed out after " + timeout.toMillis() + " ms");
                return call.result.get();
            }
        } catch (InterruptedException e) {
            call.abort(Kind.UNLOADED, "the caller was interrupted");
            Thread.currentThread().interrupt();
            throw new GuestCallException(Kind.UNLOADED, "interrupted while waiting for '" + call.export + "'");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof GuestCallException) {
                throw (GuestCallException) cause;
            }
            throw new GuestCallException(Kind.TRAP, String.valueOf(cause), cause);
        }
    }

    /**
     * How long the two sides of a call spin before they park. Most calls are short and come back
     * to back; spinning for a few microseconds saves the two thread wake-ups a park costs.
     */
    private static final long SPIN_NANOS = 20_000;

    /** Waits a few microseconds for a short call to finish before the caller parks in {@code get}. */
    private static void awaitBriefly(Call call) {
        long until = System.nanoTime() + SPIN_NANOS;
        while (!call.result.isDone() && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    /**
     * The next queued call: spins a few microseconds for one, then waits, looking after the
     * deadline of a call running directly on its caller's thread meanwhile.
     */
    private Call takeNext() throws InterruptedException {
        long until = System.nanoTime() + SPIN_NANOS;
        Call c;
        while ((c = queue.poll()) == null && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        while (c == null) {
            c = queue.poll(watch(), TimeUnit.NANOSECONDS);
        }
        return c;
    }

    /** How long the plugin thread waits when no direct call with a deadline is running (about 146 years). */
    private static final long IDLE_WAIT = 1L << 62;

    /**
     * Times out the direct call running now if its deadline has passed, and returns how long to
     * wait before looking again. Before it reads the running call it publishes when it will look
     * next, and a direct call that starts with an earlier deadline queues {@link #WAKE}: either
     * this thread sees the new call, or the call sees the old time and wakes it.
     */
    private long watch() {
        while (true) {
            long now = System.nanoTime();
            watchUntil = now + IDLE_WAIT;
            Call c = current;
            if (c == null || c.worker == thread || c.deadlineNanos.isEmpty()) {
                if (current == c) {
                    return IDLE_WAIT;
                }
                continue;
            }
            long deadline = c.deadlineNanos.getAsLong();
            if (deadline - now <= 0) {
                c.abort(Kind.TIMEOUT, "timed out after " + c.timeout.toMillis() + " ms");
                if (current == c) {
                    // Aborted; a direct call that starts after this one wakes the thread again.
                    return IDLE_WAIT;
                }
                continue;
            }
            watchUntil = deadline;
            if (current == c) {
                return deadline - now;
            }
        }
    }

    /**
     * Longest wait for the permit between two looks at the running direct call's deadline: while
     * this thread waits for the permit, a {@link #WAKE} cannot reach it.
     */
    private static final long PERMIT_SLICE = TimeUnit.MILLISECONDS.toNanos(10);

    /** Takes the permit, watching a direct call's deadline while it waits for that call to end. */
    private void acquirePermit() {
        while (true) {
            try {
                if (permit.tryAcquire(Math.min(watch(), PERMIT_SLICE), TimeUnit.NANOSECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                // Only an abort of a call that ran on this thread interrupts it; that call is over.
            }
        }
    }

    private void loop() {
        while (true) {
            Call call;
            try {
                call = takeNext();
            } catch (InterruptedException e) {
                if (closed) {
                    break;
                }
                continue;
            }
            if (call == POISON) {
                break;
            }
            if (call == WAKE) {
                continue;
            }
            acquirePermit();
            // Publish the call before checking `closed`, so that close() either sees it or we see close().
            current = call;
            if (closed) {
                current = null;
                permit.release();
                call.result.completeExceptionally(new GuestCallException(Kind.UNLOADED, "the capsule is unloaded"));
                continue;
            }
            if (!call.start(thread, true)) {
                current = null;
                permit.release();
                continue;
            }
            byte[] out = null;
            GuestCallException failed = null;
            try {
                out = call.run();
            } catch (GuestCallException e) {
                failed = e;
            } catch (Throwable t) {
                failed = classify(call, t);
            } finally {
                // The output is copied out by now: an idle capsule must not pin its last call's blocks.
                kernel.endCall();
                current = null;
                call.finish();
                permit.release();
            }
            // Only now, with the instance free: a caller's next call may run on its own thread at once.
            if (failed != null) {
                call.result.completeExceptionally(failed);
            } else {
                call.result.complete(out);
            }
        }
        for (Call left : queue) {
            left.result.completeExceptionally(new GuestCallException(Kind.UNLOADED, "the capsule is unloaded"));
        }
    }

    private byte[] invoke(Call call) {
        if (memory != null) {
            memory.clearRefusal();
        }
        kernel.beginCall(call.input, call.deadlineNanos);
        long[] saved = snapshotGlobals();
        try {
            ExportFunction fn = exportFunctions.computeIfAbsent(call.export, instance::export);
            long[] r;
            try {
                r = fn.apply();
            } catch (WasiExitException e) {
                r = new long[] {e.exitCode()};
            }
            String error = kernel.error();
            if (error != null) {
                throw new GuestCallException(Kind.GUEST_ERROR, error);
            }
            int rc = r == null || r.length == 0 ? 0 : (int) r[0];
            if (rc != 0) {
                throw new GuestCallException(Kind.GUEST_ERROR, "returned non-zero exit code: " + rc);
            }
            return kernel.output();
        } catch (RuntimeException | StackOverflowError e) {
            restoreGlobals(saved);
            throw e;
        }
    }

    private GuestCallException classify(Call call, Throwable t) {
        if (call.abortKind != null) {
            // Aborted (timeout or unload): whatever the interrupt surfaced as, report why it was aborted.
            return new GuestCallException(call.abortKind, call.abortReason, t);
        }
        if (t instanceof ChicoryInterruptedException || (t instanceof ChicoryException && Thread.currentThread().isInterrupted())) {
            Kind kind = call.abortKind != null ? call.abortKind : Kind.UNLOADED;
            String why = call.abortReason != null ? call.abortReason : "interrupted";
            return new GuestCallException(kind, why, t);
        }
        if (t instanceof KernelTrap) {
            // Out of memory only when the trap itself is the kernel failing to hold a result.
            return new GuestCallException(((KernelTrap) t).outOfMemory() ? Kind.OUT_OF_MEMORY : Kind.HOST_ERROR,
                    t.getMessage(), t);
        }
        if (t instanceof StackOverflowError) {
            return new GuestCallException(Kind.TRAP, "trap: call stack exhausted", t);
        }
        if (t instanceof OutOfMemoryError) {
            return new GuestCallException(Kind.OUT_OF_MEMORY, "the host ran out of memory during the call", t);
        }
        if (t instanceof ChicoryException) {
            if (trapAfterAllocationFailure(t)) {
                if (memory != null && memory.growRefused()) {
                    return new GuestCallException(Kind.OUT_OF_MEMORY, "out of memory: the guest reached its limit of "
                            + options.maxGuestMemoryBytes() / (1024 * 1024) + " MiB (" + t.getMessage() + ")", t);
                }
                if (kernel.memory().capHit()) {
                    return new GuestCallException(Kind.OUT_OF_MEMORY, "out of memory: kernel memory reached its limit of "
                            + kernel.memory().maxBytes() / (1024 * 1024) + " MiB (" + t.getMessage() + ")", t);
                }
            }
            return new GuestCallException(Kind.TRAP, "trap: " + t.getMessage(), t);
        }
        LOG.log(System.Logger.Level.ERROR, "unexpected failure in " + module.name() + "." + call.export, t);
        return new GuestCallException(Kind.HOST_ERROR, "internal host error: " + t, t);
    }

    /**
     * Whether a wasm trap is what a guest does when an allocation failed: an allocator that cannot
     * grow aborts ({@code unreachable}; Rust's {@code handle_alloc_error} does exactly that), and
     * code that ignores a failed allocation touches memory out of bounds. It counts as out of memory
     * only together with an allocation refused during the same call (a {@code memory.grow} past the
     * cap, or a kernel {@code alloc} past its cap); any other trap, or these traps without a
     * refusal, stays a trap however little headroom is left.
     */
    private static boolean trapAfterAllocationFailure(Throwable t) {
        String m = String.valueOf(t.getMessage());
        return m.contains("unreachable") || m.contains("out of bounds memory access");
    }

    private long[] snapshotGlobals() {
        int n = instance.globalCount();
        long[] saved = savedGlobals;
        if (saved == null || saved.length != n * 2) {
            saved = new long[n * 2];
            savedGlobals = saved;
        }
        for (int i = 0; i < n; i++) {
            GlobalInstance g = instance.global(i);
            if (g.getMutabilityType() == MutabilityType.Var) {
                saved[2 * i] = g.getValueLow();
                saved[2 * i + 1] = g.getValueHigh();
            }
        }
        return saved;
    }

    private void restoreGlobals(long[] saved) {
        for (int i = 0; i < saved.length / 2; i++) {
            GlobalInstance g = instance.global(i);
            if (g.getMutabilityType() == MutabilityType.Var) {
                g.setValueLow(saved[2 * i]);
                g.setValueHigh(saved[2 * i + 1]);
            }
        }
    }

    /**
     * Stops the plugin: a running call is interrupted and fails as unloaded, queued calls fail,
     * and the thread ends. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Call c = current;
        if (c != null) {
            c.abort(Kind.UNLOADED, "the capsule was unloaded");
        }
        queue.add(POISON);
    }

    /** Wakes the plugin thread to look at a direct call's deadline. */
    private static final Call WAKE = new Call("", new byte[0], Invocation.Caller.NONE) {
        @Override
        byte[] run() {
            return new byte[0];
        }
    };

    private static final Call POISON = new Call("", new byte[0], Invocation.Caller.NONE) {
        @Override
        byte[] run() {
            return new byte[0];
        }
    };

    /** One queued call and its interruption state. */
    private abstract static class Call {
        final String export;
        final byte[] input;
        final Invocation.Caller caller;
        final CompletableFuture<byte[]> result = new CompletableFuture<>();
        /** When the caller stops waiting: set before the call is queued, read on the plugin thread. */
        volatile OptionalLong deadlineNanos = OptionalLong.empty();
        /** The timeout the deadline came from, for the message. */
        volatile Duration timeout = Duration.ZERO;
        /** The thread running the call, once started: the plugin thread or the caller's. */
        volatile Thread worker;
        /** Whether it runs on the plugin thread, whose interrupt status is cleared around each call. */
        private boolean onPluginThread;
        private boolean started;
        private boolean running;
        private boolean aborted;
        volatile Kind abortKind;
        volatile String abortReason;

        Call(String export, byte[] input, Invocation.Caller caller) {
            this.export = export;
            this.input = input;
            this.caller = caller;
        }

        abstract byte[] run();

        /**
         * Marks the call running on {@code on} unless it was aborted while queued. On the plugin
         * thread it clears a stale interrupt; a caller's thread keeps its own.
         */
        synchronized boolean start(Thread on, boolean pluginThread) {
            if (pluginThread) {
                Thread.interrupted();
            }
            worker = on;
            onPluginThread = pluginThread;
            if (aborted) {
                return false;
            }
            started = true;
            running = true;
            return true;
        }

        /** Marks the call over; clears the interrupt an abort of it may have left on its thread. */
        synchronized void finish() {
            running = false;
            if (onPluginThread || aborted) {
                Thread.interrupted();
            }
        }

        /** Aborts the call: interrupts it if running, or fails it at once if still queued. */
        synchronized void abort(Kind kind, String reason) {
            if (result.isDone() || aborted) {
                return;
            }
            aborted = true;
            abortReason = reason; // before the kind: readers test the kind, then read the reason
            abortKind = kind;
            if (running) {
                worker.interrupt();
            } else if (!started) {
                result.completeExceptionally(new GuestCallException(kind, reason + " (before it started)"));
            }
        }
    }
}
