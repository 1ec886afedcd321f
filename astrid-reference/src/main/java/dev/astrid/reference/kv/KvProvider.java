package dev.astrid.reference.kv;

import com.google.gson.JsonArray;
import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.GuestText;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.HostProvider;
import dev.astrid.sys.abi.Family;
import dev.astrid.sys.abi.KvFunctions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The KV family on a {@link KvStore}: one namespace per capsule ({@code capsule:<name>}), raw
 * values in and out.
 *
 * <p>Settings: {@code kv.path} (default {@code <data-dir>/kv.db}) and {@code kv.sync}
 * ({@code normal}, the default, survives a killed host; {@code full} also survives power loss).
 */
public final class KvProvider implements HostProvider {
    private KvStore store;

    @Override
    public String name() {
        return "astrid-reference-kv";
    }

    @Override
    public Family family() {
        return Family.KV;
    }

    @Override
    public synchronized Object bind(CapsuleContext capsule) {
        if (store == null) {
            Path file = capsule.settings().get("kv.path").map(Path::of).orElse(capsule.hostDataDir().resolve("kv.db"));
            String sync = capsule.settings().get("kv.sync", "normal");
            if (!sync.equals("normal") && !sync.equals("full")) {
                throw new HostException("setting kv.sync must be normal or full, got '" + sync + "'");
            }
            try {
                store = KvStore.open(file, sync.equals("full"));
            } catch (KvException e) {
                throw new HostException(e.getMessage(), e);
            }
        }
        return new Namespace(store, "capsule:" + capsule.capsuleId());
    }

    @Override
    public synchronized void close() {
        if (store != null) {
            store.close();
            store = null;
        }
    }

    /** One capsule's view of the store. */
    static final class Namespace implements KvFunctions {
        private static final byte[] EMPTY = new byte[0];
        private final KvStore store;
        private final String ns;

        Namespace(KvStore store, String ns) {
            this.store = store;
            this.ns = ns;
        }

        @Override
        public byte[] kvGet(byte[] key) {
            checkKey(key, "kv_get");
            byte[] v = run("kv_get", () -> store.get(ns, key));
            return v == null ? EMPTY : v;
        }

        @Override
        public void kvSet(byte[] key, byte[] value) {
            checkKey(key, "kv_set");
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
            JsonArray out = new JsonArray();
            for (byte[] k : run("kv_list_keys", () -> store.listKeys(ns, prefix))) {
                out.add(new String(k, StandardCharsets.UTF_8));
            }
            return out.toString().getBytes(StandardCharsets.UTF_8);
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
