package dev.astrid.host.redis;

import dev.astrid.host.ipc.IpcProvider;
import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.FamilyProvider;
import dev.astrid.host.spi.TypedFamily;
import dev.astrid.sys.abi.IpcFunctions;
import java.time.Clock;

/**
 * The IPC family across hosts on Redis ({@code --provider ipc=redis}): the family's own bus
 * ({@link IpcProvider} with its envelope, capabilities, payload limits, bounded queues and
 * {@code lagged}, interceptors and readiness) over a {@link RedisBusTransport}. Interceptors,
 * {@code trigger_hook} and {@code signal_ready} act on this host's capsules; published messages
 * reach every host on the same Redis and prefix. Ranked below the built-in provider, so it serves
 * only when chosen.
 */
public final class RedisIpcProvider implements FamilyProvider<IpcFunctions> {
    private final RedisSettings fixed;
    private IpcProvider bus;

    /** The provider the host loads: connection settings come from the host's provider settings. */
    public RedisIpcProvider() {
        this(null);
    }

    /** A provider on a given server, whatever the host's settings say (for embedding and tests). */
    public RedisIpcProvider(RedisSettings settings) {
        this.fixed = settings;
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public TypedFamily<IpcFunctions> typedFamily() {
        return TypedFamily.IPC;
    }

    @Override
    public int priority() {
        return BUILT_IN_PRIORITY - 1;
    }

    @Override
    public IpcFunctions bind(CapsuleContext capsule) {
        return bus(capsule).bind(capsule);
    }

    /** The bus opens at the first bind, when the host's settings are known. */
    private synchronized IpcProvider bus(CapsuleContext capsule) {
        if (bus == null) {
            bus = new IpcProvider(Clock.systemUTC(), new RedisBusTransport(fixed != null ? fixed : RedisSettings.from(capsule.settings())));
        }
        return bus;
    }

    @Override
    public synchronized void close() {
        if (bus != null) {
            bus.close();
            bus = null;
        }
    }
}
