package dev.astrid.host.kv;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.ConfigSource;
import dev.astrid.host.spi.GuestText;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.FamilyProvider;
import dev.astrid.host.spi.PayloadLimits;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.spi.TypedFamily;
import dev.astrid.sys.abi.KvFunctions;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The KV family on a {@link KvStore}: one namespace per capsule (its
 * {@link CapsuleContext#stateNamespace()}), raw values in and out.
 *
 * <p>Settings: {@code kv.path} (default {@code <data-dir>/kv.db}), {@code kv.sync}
 * ({@code normal}, the default, survives a killed host; {@code full} also survives power loss),
 * the per-capsule quota {@code kv.max-bytes} (bytes of keys plus values, default 256 MiB) and
 * {@code kv.max-keys} (default 100 000), and {@code kv.cache-bytes} (the read cache, default
 * 32 MiB). A key listing is bounded by {@link PayloadLimits#MAX_GUEST_PAYLOAD} bytes of JSON.
 */
public final class KvProvider implements FamilyProvider<KvFunctions> {
    private static final Gson JSON = new GsonBuilder().disableHtmlEscaping().create();
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
            KvStore.Limits limits = new KvStore.Limits(
                    positive(capsule.settings(), "kv.max-bytes", KvStore.Limits.DEFAULT.maxBytes(), 1),
                    positive(capsule.settings(), "kv.max-keys", KvStore.Limits.DEFAULT.maxKeys(), 1),
                    positive(capsule.settings(), "kv.cache-bytes", KvStore.Limits.DEFAULT.cacheBytes(), 0));
            try {
                store = KvStore.open(file, sync.equals("full"), limits);
            } catch (KvException e) {
                throw new HostException(e.getMessage(), e);
            }
        }
        return new Namespace(store, capsule.stateNamespace(), PayloadLimits.MAX_GUEST_PAYLOAD);
    }

    private static long positive(ProviderSettings settings, String key, long defaultValue, long min) {
        long v = settings.getLong(key, defaultValue);
        if (v < min) {
            throw new HostException("setting " + key + " must be at least " + min + ", got " + v);
        }
        return v;
    }

    @Override
    public synchronized void close() {
        if (store != null) {
            store.close();
            store = null;
        }
    }

    /** One capsule's view of the store. */
    static final class Namespace implements KvFunctions, ConfigSource {
        private static final byte[] EMPTY = new byte[0];
        private final KvStore store;
        private final String ns;

        private final int maxListBytes;

        Namespace(KvStore store, String ns, int maxListBytes) {
            this.store = store;
            this.ns = ns;
            this.maxListBytes = maxListBytes;
        }

        @Override
        public byte[] kvGet(byte[] key) {
            checkKey(key, "kv_get");
            byte[] v = run("kv_get", () -> store.get(ns, key));
            return v == null ? EMPTY : v;
        }

        /** A plain {@code [env]} value may be stored under its key in the capsule's namespace. */
        @Override
        public Optional<String> storedValue(String key) {
            byte[] stored = kvGet(key.getBytes(StandardCharsets.UTF_8));
            return stored.length == 0 ? Optional.empty() : Optional.of(new String(stored, StandardCharsets.UTF_8));
        }

        @Override
        public void kvSet(byte[] key, byte[] value) {
            checkKey(key, "kv_set");
            if (value.length > PayloadLimits.MAX_GUEST_PAYLOAD) {
                throw new HostException("kv_set failed: the value is " + value.length + " bytes, longer than the limit of "
                        + PayloadLimits.MAX_GUEST_PAYLOAD);
            }
            run("kv_set", () -> {
                store.set(ns, key, value);
                return null;
            });
        }

        @Override
        public void kvDelete(byte[] key) {
            checkKey(key, "kv_delete");
            run("kv_delete", () -> {
                store.delete(ns, key);
                return null;
            });
        }

        @Override
        public byte[] kvListKeys(byte[] prefix) {
            checkPrefix(prefix, "kv_list_keys");
            // Streamed row by row into the JSON, which may not outgrow the result bound.
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write('[');
            run("kv_list_keys", () -> {
                store.scanKeys(ns, prefix, k -> {
                    byte[] item = JSON.toJson(new String(k, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                    int comma = out.size() > 1 ? 1 : 0;
                    if (out.size() + comma + item.length + 1 > maxListBytes) {
                        throw new HostException("kv_list_keys failed: the keys with this prefix make more than "
                                + maxListBytes + " bytes of JSON, the result limit; list narrower prefixes");
                    }
                    if (comma == 1) {
                        out.write(',');
                    }
                    out.writeBytes(item);
                });
                return null;
            });
            out.write(']');
            return out.toByteArray();
        }

        @Override
        public byte[] kvClearPrefix(byte[] prefix) {
            checkPrefix(prefix, "kv_clear_prefix");
            int n = run("kv_clear_prefix", () -> store.clearPrefix(ns, prefix));
            return Integer.toString(n).getBytes(StandardCharsets.US_ASCII);
        }

        private static <T> T run(String op, java.util.function.Supplier<T> action) {
            try {
                return action.get();
            } catch (KvException e) {
                throw new HostException(op + " failed: " + e.getMessage(), e);
            }
        }

        private static void checkKey(byte[] key, String op) {
            if (key.length == 0) {
                throw new HostException(op + " failed: invalid key: key must not be empty");
            }
            // The host bounds guest arguments; a provider used on its own (StandaloneContext) is bounded here.
            if (key.length > PayloadLimits.MAX_KEY) {
                throw new HostException(op + " failed: invalid key: key is " + key.length + " bytes, longer than the limit of "
                        + PayloadLimits.MAX_KEY);
            }
            checkText(key, op, "key");
        }

        private static void checkPrefix(byte[] prefix, String op) {
            checkText(prefix, op, "prefix");
        }

        private static void checkText(byte[] bytes, String op, String what) {
            for (byte b : bytes) {
                if (b == 0) {
                    throw new HostException(op + " failed: invalid " + what + ": " + what + " must not contain NUL");
                }
            }
            try {
                GuestText.decodeStrict(bytes);
            } catch (IllegalArgumentException e) {
                throw new HostException(op + " failed: invalid " + what + ": " + what + " is not valid UTF-8");
            }
        }
    }
}
