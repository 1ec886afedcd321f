package dev.astrid.host.kv;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.astrid.host.spi.ConfigSource;
import dev.astrid.host.spi.GuestText;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.PayloadLimits;
import dev.astrid.sys.abi.KvFunctions;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The KV family's one dispatch for a capsule, over any {@link KvStorage}: decodes the ABI's bytes,
 * checks keys and prefixes (keys of 1 to 4096 bytes, valid UTF-8, no NUL) and values (at most 10 MiB), writes the key listing's JSON
 * within its bound and turns backend failures into {@code kv_<fn> failed: ...} traps. Backends
 * (SQLite here, Redis in {@code astrid-host-redis}) only store bytes.
 */
public final class KvDispatch implements KvFunctions, ConfigSource {
    private static final Gson JSON = new GsonBuilder().disableHtmlEscaping().create();

    private static final byte[] EMPTY = new byte[0];
    private final KvStorage store;
    private final String ns;

    private final int maxListBytes;

    /**
     * One capsule's dispatch.
     *
     * @param store the backend
     * @param ns the capsule's namespace, {@link dev.astrid.host.spi.CapsuleContext#stateNamespace()}
     * @param maxListBytes the bound on a key listing's JSON
     */
    public KvDispatch(KvStorage store, String ns, int maxListBytes) {
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
