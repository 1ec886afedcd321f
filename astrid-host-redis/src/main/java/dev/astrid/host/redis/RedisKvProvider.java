package dev.astrid.host.redis;

import dev.astrid.host.kv.KvDispatch;
import dev.astrid.host.kv.KvStore;
import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.FamilyProvider;
import dev.astrid.host.spi.PayloadLimits;
import dev.astrid.host.spi.TypedFamily;
import dev.astrid.sys.abi.KvFunctions;

/**
 * The KV family on Redis ({@code --provider kv=redis}): the family's own {@link KvDispatch} (key
 * checks, JSON, traps) over {@link RedisKvStorage}, with the same namespaces
 * ({@link CapsuleContext#stateNamespace()}) and the same quota settings ({@code kv.max-bytes},
 * {@code kv.max-keys}) as the SQLite provider. Connection settings: {@link RedisSettings}.
 * Ranked below the built-in provider, so it serves only when chosen.
 */
public final class RedisKvProvider implements FamilyProvider<KvFunctions> {
    private final RedisSettings fixed;
    private RedisKvStorage storage;

    /** The provider the host loads: connection settings come from the host's provider settings. */
    public RedisKvProvider() {
        this(null);
    }

    /** A provider on a given server, whatever the host's settings say (for embedding and tests). */
    public RedisKvProvider(RedisSettings settings) {
        this.fixed = settings;
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public TypedFamily<KvFunctions> typedFamily() {
        return TypedFamily.KV;
    }

    @Override
    public int priority() {
        return BUILT_IN_PRIORITY - 1;
    }

    @Override
    public synchronized KvFunctions bind(CapsuleContext capsule) {
        if (storage == null) {
            storage = new RedisKvStorage(fixed != null ? fixed : RedisSettings.from(capsule.settings()), KvStore.Limits.from(capsule.settings()));
        }
        return new KvDispatch(storage, capsule.stateNamespace(), PayloadLimits.MAX_GUEST_PAYLOAD);
    }

    @Override
    public synchronized void close() {
        if (storage != null) {
            storage.close();
            storage = null;
        }
    }
}
