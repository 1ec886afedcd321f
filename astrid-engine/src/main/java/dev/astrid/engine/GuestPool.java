package dev.astrid.engine;

import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.GuestCallException.Kind;
import dev.astrid.host.spi.Invocation;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Up to {@code size} instances of one module, all linked the same way, for calls that may come at
 * the same time: each call takes an idle instance (or instantiates one, while fewer than
 * {@code size} exist), runs on it alone and gives it back. A caller that finds every instance busy
 * waits for one, no longer than its timeout. Each instance still runs one call at a time.
 *
 * <p>Instances share what the links give them (the family providers: KV, the event bus, files),
 * but each has its own linear memory, globals, Extism kernel and vars: what a guest keeps in its
 * own memory between calls is seen only by later calls that land on the same instance. With
 * {@code size} 1 the pool is the single instance, exactly as {@link Guest} alone.
 */
public final class GuestPool implements AutoCloseable {
    private final GuestModule module;
    private final GuestLinks links;
    private final int size;
    private final Duration initTimeout;
    private final Guest first;
    /** Every instance made, busy or idle; guarded by {@code this}. */
    private final List<Guest> all = new ArrayList<>();
    /** Idle instances, most recently used first; guarded by {@code this}. */
    private final ArrayDeque<Guest> idle = new ArrayDeque<>();
    /** Instances made or being made; guarded by {@code this}. */
    private int made;
    private boolean closed;

    private GuestPool(GuestModule module, GuestLinks links, int size, Duration initTimeout, Guest first) {
        this.module = module;
        this.links = links;
        this.size = size;
        this.initTimeout = initTimeout;
        this.first = first;
        all.add(first);
        idle.push(first);
        made = 1;
    }

    /**
     * A pool whose first instance is made now (so that a module that cannot be instantiated fails
     * here); the others are made when calls need them.
     *
     * @param size the most instances the pool holds, at least 1
     * @param initTimeout how long each instance's initializer may run; {@link Duration#ZERO} for no limit
     * @throws GuestCallException if the first instance cannot be made
     */
    public static GuestPool create(GuestModule module, GuestLinks links, int size, Duration initTimeout) {
        if (size < 1) {
            throw new IllegalArgumentException("an instance pool holds at least 1 instance, got " + size);
        }
        return new GuestPool(module, links, size, initTimeout, Guest.instantiate(module, links, initTimeout));
    }

    /** The most instances the pool holds. */
    public int size() {
        return size;
    }

    /** How many instances exist now (made or being made). */
    public synchronized int instances() {
        return made;
    }

    /**
     * Calls an export on a free instance and returns its output.
     *
     * @param timeout how long the call may take, waiting for a free instance included;
     *     {@link Duration#ZERO} for no limit
     * @throws GuestCallException for every way the call can fail; {@link Kind#TIMEOUT} also when
     *     no instance came free in time
     */
    public byte[] call(String export, byte[] input, Invocation.Caller caller, Duration timeout) {
        if (size == 1) {
            return first.call(export, input, caller, timeout);
        }
        Guest own = runningHere();
        if (own != null) {
            // A host function of this capsule calling back into it: the instance says it is re-entrant.
            return own.call(export, input, caller, timeout);
        }
        boolean limited = !timeout.isZero() && !timeout.isNegative();
        long deadline = limited ? System.nanoTime() + timeout.toNanos() : 0;
        Guest g = take(limited, deadline, timeout);
        try {
            Duration left = timeout;
            if (limited) {
                long nanos = deadline - System.nanoTime();
                if (nanos <= 0) {
                    throw new GuestCallException(Kind.TIMEOUT, "timed out after " + timeout.toMillis()
                            + " ms waiting for a free instance of " + module.name());
                }
                left = Duration.ofNanos(nanos);
            }
            return g.call(export, input, caller, left);
        } finally {
            give(g);
        }
    }

    /** An idle instance, or a new one while under the bound; otherwise waits for one. */
    private Guest take(boolean limited, long deadline, Duration timeout) {
        synchronized (this) {
            while (true) {
                if (closed) {
                    throw new GuestCallException(Kind.UNLOADED, "the capsule is unloaded");
                }
                Guest g = idle.poll();
                if (g != null) {
                    return g;
                }
                if (made < size) {
                    made++;
                    break;
                }
                try {
                    if (!limited) {
                        wait();
                    } else {
                        long nanos = deadline - System.nanoTime();
                        if (nanos <= 0) {
                            throw new GuestCallException(Kind.TIMEOUT, "timed out after " + timeout.toMillis()
                                    + " ms waiting for a free instance of " + module.name() + " (all " + size + " busy)");
                        }
                        TimeUnit.NANOSECONDS.timedWait(this, nanos);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new GuestCallException(Kind.UNLOADED, "interrupted while waiting for a free instance of "
                            + module.name());
                }
            }
        }
        // Instantiating runs the guest's initializer: not under the lock, so other calls go on.
        Guest g;
        try {
            g = Guest.instantiate(module, links, initTimeout);
        } catch (RuntimeException e) {
            synchronized (this) {
                made--;
                notifyAll();
            }
            throw e;
        }
        synchronized (this) {
            if (!closed) {
                all.add(g);
                return g;
            }
        }
        g.close();
        throw new GuestCallException(Kind.UNLOADED, "the capsule is unloaded");
    }

    private synchronized void give(Guest g) {
        if (!closed) {
            idle.push(g);
            notify();
        }
    }

    /** The instance running a call on this thread, or null. */
    private Guest runningHere() {
        List<Guest> snapshot;
        synchronized (this) {
            snapshot = List.copyOf(all);
        }
        for (Guest g : snapshot) {
            if (g.runsOnCurrentThread()) {
                return g;
            }
        }
        return null;
    }

    /** The call running on the current thread (a host function of one of the instances), or {@link Invocation#NONE}. */
    public Invocation currentInvocation() {
        if (size == 1) {
            return first.currentInvocation();
        }
        Guest g = runningHere();
        return g == null ? Invocation.NONE : g.currentInvocation();
    }

    /**
     * Closes every instance: running calls are interrupted and fail as unloaded, and callers
     * waiting for an instance fail as unloaded. Idempotent.
     */
    @Override
    public void close() {
        List<Guest> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(all);
            idle.clear();
            notifyAll();
        }
        for (Guest g : toClose) {
            g.close();
        }
    }
}
