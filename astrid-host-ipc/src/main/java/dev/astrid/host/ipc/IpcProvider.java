package dev.astrid.host.ipc;

import dev.astrid.host.ipc.internal.Bus;
import dev.astrid.host.ipc.internal.CapsuleIpc;
import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.FamilyProvider;
import dev.astrid.host.spi.TypedFamily;
import dev.astrid.sys.abi.IpcFunctions;
import java.time.Clock;

/**
 * The built-in provider of the IPC family.
 *
 * <p>The host creates one provider per host, so the provider owns the one {@link EventBus} every
 * capsule of the host shares. {@link #bind} returns a per-capsule {@link dev.astrid.sys.abi.IpcFunctions}
 * that is also {@link AutoCloseable}: closing it (at unload) removes the capsule's subscriptions and
 * wakes its waiting {@code astrid_ipc_recv}.
 *
 * <p>Settings read from {@link CapsuleContext#settings()} at bind: {@code ipc.queue-capacity}
 * (messages per subscription, default 1024), {@code ipc.queue-max-bytes} (payload bytes per
 * subscription, default 64 MiB), {@code ipc.capsule-max-bytes} (payload bytes all queues and the
 * interceptor backlog of one capsule hold together, default 64 MiB), {@code ipc.hook-backlog}
 * (messages waiting for a capsule's interceptors, default 256) and {@code ipc.hook-timeout-ms} (per
 * interceptor call, default 10000).
 */
public final class IpcProvider implements FamilyProvider<IpcFunctions> {
    private final Bus bus;

    /** A provider with a fresh bus whose Java publishers are stamped with the system UTC clock. */
    public IpcProvider() {
        this(Clock.systemUTC());
    }

    /** A provider whose bus stamps messages published from Java with a given clock. */
    public IpcProvider(Clock clock) {
        this(clock, BusTransport.local());
    }

    /**
     * A provider whose bus reaches other hosts through a transport (which the provider closes), its
     * Java publishers stamped with a given clock. Backends such as {@code astrid-host-redis} use it
     * so that envelope, capabilities, limits and queues stay the family's.
     */
    public IpcProvider(Clock clock, BusTransport transport) {
        this.bus = new Bus(clock, transport);
    }

    @Override
    public String name() {
        return "astrid-host-ipc";
    }

    @Override
    public TypedFamily<IpcFunctions> typedFamily() {
        return TypedFamily.IPC;
    }

    @Override
    public IpcFunctions bind(CapsuleContext capsule) {
        return CapsuleIpc.bind(capsule, bus);
    }

    /** The host-wide bus, for publishing and subscribing from Java. */
    public EventBus bus() {
        return bus;
    }

    /** Closes the bus: every subscription is closed and waiting receivers wake up. */
    @Override
    public void close() {
        bus.close();
    }
}
