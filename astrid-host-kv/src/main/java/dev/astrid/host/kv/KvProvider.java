package dev.astrid.host.kv;

import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.FamilyProvider;
import dev.astrid.host.spi.PayloadLimits;
import dev.astrid.host.spi.TypedFamily;
import dev.astrid.sys.abi.KvFunctions;
import java.nio.file.Path;

/**
 * The KV family on a {@link KvStore} through the family's {@link KvDispatch}: one namespace per capsule (its
 * {@link CapsuleContext#stateNamespace()}), raw values in and out.
 *
 * <p>Settings: {@code kv.path} (default {@code <data-dir>/kv.db}), {@code kv.sync}
 * ({@code normal}, the default, survives a killed host; {@code full} also survives power loss),
 * the per-capsule quota {@code kv.max-bytes} (bytes of keys plus values, default 256 MiB) and
 * {@code kv.max-keys} (default 100 000), and {@code kv.cache-bytes} (the read cache, default
 * 32 MiB). A key listing is bounded by {@link PayloadLimits#MAX_GUEST_PAYLOAD} bytes of JSON.
 */
public final class KvProvider implements FamilyProvider<KvFunctions> {
    private KvStore store;

    @Override
    public String name() {
        return "astrid-reference-kv";
    }

    @Override
    public TypedFamily<KvFunctions> typedFamily() {
        return TypedFamily.KV;
    }

    @Override
    public synchronized KvFunctions bind(CapsuleContext capsule) {
        if (store == null) {
            Path file = capsule.settings().get("kv.path").map(Path::of).orElse(capsule.hostDataDir().resolve("kv.db"));
            String sync = capsule.settings().get("kv.sync", "normal");
            if (!sync.equals("normal") && !sync.equals("full")) {
                throw new HostException("setting kv.sync must be normal or full, got '" + sync + "'");
            }
            KvStore.Limits limits = KvStore.Limits.from(capsule.settings());
            try {
                store = KvStore.open(file, sync.equals("full"), limits);
            } catch (KvException e) {
                throw new HostException(e.getMessage(), e);
            }
        }
        return new KvDispatch(store, capsule.stateNamespace(), PayloadLimits.MAX_GUEST_PAYLOAD);
    }

    @Override
    public synchronized void close() {
        if (store != null) {
            store.close();
            store = null;
        }
    }
}
