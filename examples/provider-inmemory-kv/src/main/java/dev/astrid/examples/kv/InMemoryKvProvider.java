package dev.astrid.examples.kv;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.ConfigSource;
import dev.astrid.host.spi.FamilyProvider;
import dev.astrid.host.spi.GuestText;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.spi.PayloadLimits;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.spi.TypedFamily;
import dev.astrid.sys.abi.KvFunctions;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The KV family in memory: one sorted map per capsule's {@link CapsuleContext#stateNamespace()},
 * kept for as long as the provider lives (a host run), gone when it closes.
 *
 * <p>It follows the KV contract of {@code astrid-host-tck}: keys are non-empty UTF-8 without NUL,
 * listed in bytewise order; the per-capsule quota comes from the settings {@code kv.max-keys}
 * (default 100 000) and {@code kv.max-bytes} (bytes of keys plus values, default 256 MiB); a key
 * listing is bounded by {@link PayloadLimits#MAX_GUEST_PAYLOAD} bytes of JSON.
 *
 * <p>Its priority is below the built-in SQLite provider's, so installing it changes nothing until
 * it is chosen by name: {@code --provider kv=example-inmemory-kv}.
 */
public final class InMemoryKvProvider implements FamilyProvider<KvFunctions> {
    /** The name to choose this provider by. */
    public static final String NAME = "example-inmemory-kv";
    /** Default of {@code kv.max-keys}. */
    public static final long DEFAULT_MAX_KEYS = 100_000;
    /** Default of {@code kv.max-bytes}. */
    public static final long DEFAULT_MAX_BYTES = 256L << 20;

    private static final Gson JSON = new GsonBuilder().disableHtmlEscaping().create();
    private final Map<String, Store> stores = new ConcurrentHashMap<>();

    /** The no-argument constructor {@link java.util.ServiceLoader} calls. */
    public InMemoryKvProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public TypedFamily<KvFunctions> typedFamily() {
        return TypedFamily.KV;
    }

    @Override
    public int priority() {
        return HostProvider.BUILT_IN_PRIORITY - 10;
    }

    @Override
    public KvFunctions bind(CapsuleContext capsule) {
        long maxKeys = atLeastOne(capsule.settings(), "kv.max-keys", DEFAULT_MAX_KEYS);
        long maxBytes = atLeastOne(capsule.settings(), "kv.max-bytes", DEFAULT_MAX_BYTES);
        Store store = stores.computeIfAbsent(capsule.stateNamespace(), ns -> new Store());
        return new Binding(store, maxKeys, maxBytes);
    }

    @Override
    public void close() {
        stores.clear();
    }

    private static long atLeastOne(ProviderSettings settings, String key, long defaultValue) {
        long v = settings.getLong(key, defaultValue);
        if (v < 1) {
            throw new HostException("setting " + key + " must be at least 1, got " + v);
        }
        return v;
    }

    /** One namespace's entries, sorted bytewise (unsigned), and their size in bytes. */
    private static final class Store {
        final NavigableMap<byte[], byte[]> entries = new TreeMap<>(Arrays::compareUnsigned);
        long bytes;
    }

    /** One capsule's view: its store and its quota. */
    private static final class Binding implements KvFunctions, ConfigSource {
        private static final byte[] EMPTY = new byte[0];
        private final Store store;
        private final long maxKeys;
        private final long maxBytes;

        Binding(Store store, long maxKeys, long maxBytes) {
            this.store = store;
            this.maxKeys = maxKeys;
            this.maxBytes = maxBytes;
        }

        @Override
        public byte[] kvGet(byte[] key) {
            checkKey(key, "kv_get");
            synchronized (store) {
                byte[] v = store.entries.get(key);
                return v == null ? EMPTY : v.clone();
            }
        }

        @Override
        public void kvSet(byte[] key, byte[] value) {
            checkKey(key, "kv_set");
            if (value.length > PayloadLimits.MAX_GUEST_PAYLOAD) {
                throw new HostException("kv_set failed: the value is " + value.length + " bytes, longer than the limit of "
                        + PayloadLimits.MAX_GUEST_PAYLOAD);
            }
            synchronized (store) {
                byte[] old = store.entries.get(key);
                if (old == null && store.entries.size() + 1L > maxKeys) {
                    throw new HostException("kv_set failed: the capsule would hold more than kv.max-keys="
                            + maxKeys + " keys");
                }
                long after = store.bytes - (old == null ? 0 : key.length + old.length) + key.length + value.length;
                if (after > maxBytes) {
                    throw new HostException("kv_set failed: the capsule would hold " + after
                            + " bytes of keys and values, more than kv.max-bytes=" + maxBytes);
                }
                store.entries.put(key.clone(), value.clone());
                store.bytes = after;
            }
        }

        @Override
        public void kvDelete(byte[] key) {
            checkKey(key, "kv_delete");
            synchronized (store) {
                byte[] old = store.entries.remove(key);
                if (old != null) {
                    store.bytes -= key.length + old.length;
                }
            }
        }

        @Override
        public byte[] kvListKeys(byte[] prefix) {
            checkText(prefix, "kv_list_keys", "prefix");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write('[');
            synchronized (store) {
                for (byte[] k : withPrefix(prefix).keySet()) {
                    byte[] item = JSON.toJson(new String(k, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                    int comma = out.size() > 1 ? 1 : 0;
                    // The JSON may not outgrow what a guest can be handed back.
                    if (out.size() + comma + item.length + 1 > PayloadLimits.MAX_GUEST_PAYLOAD) {
                        throw new HostException("kv_list_keys failed: the keys with this prefix make more than "
                                + PayloadLimits.MAX_GUEST_PAYLOAD + " bytes of JSON, the result limit; list narrower prefixes");
                    }
                    if (comma == 1) {
                        out.write(',');
                    }
                    out.writeBytes(item);
                }
            }
            out.write(']');
            return out.toByteArray();
        }

        @Override
        public byte[] kvClearPrefix(byte[] prefix) {
            checkText(prefix, "kv_clear_prefix", "prefix");
            int n = 0;
            synchronized (store) {
                Iterator<Map.Entry<byte[], byte[]>> it = withPrefix(prefix).entrySet().iterator();
                while (it.hasNext()) {
                    Map.Entry<byte[], byte[]> e = it.next();
                    store.bytes -= e.getKey().length + e.getValue().length;
                    it.remove();
                    n++;
                }
            }
            return Integer.toString(n).getBytes(StandardCharsets.US_ASCII);
        }

        /** A plain {@code [env]} value may come from the capsule's KV, as with the built-in provider. */
        @Override
        public Optional<String> storedValue(String key) {
            byte[] v = kvGet(key.getBytes(StandardCharsets.UTF_8));
            return v.length == 0 ? Optional.empty() : Optional.of(new String(v, StandardCharsets.UTF_8));
        }

        /** The keys starting with the prefix: a view of the sorted map, from the prefix on. */
        private NavigableMap<byte[], byte[]> withPrefix(byte[] prefix) {
            NavigableMap<byte[], byte[]> tail = store.entries.tailMap(prefix, true);
            byte[] end = afterPrefix(prefix);
            return end == null ? tail : tail.headMap(end, false);
        }

        /** The least byte string greater than every string with the prefix, or null when there is none. */
        private static byte[] afterPrefix(byte[] prefix) {
            byte[] end = prefix.clone();
            for (int i = end.length - 1; i >= 0; i--) {
                if (end[i] != (byte) 0xff) {
                    end[i]++;
                    return Arrays.copyOf(end, i + 1);
                }
            }
            return null;
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
