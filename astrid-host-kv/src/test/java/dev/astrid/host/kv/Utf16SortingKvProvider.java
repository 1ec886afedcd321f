package dev.astrid.host.kv;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.reflect.TypeToken;
import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.FamilyProvider;
import dev.astrid.host.spi.TypedFamily;
import dev.astrid.sys.abi.KvFunctions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A deliberately wrong KV provider, for tests only: the real provider, except that it lists keys
 * sorted as Java strings (UTF-16 code units), as a provider built on a {@code TreeMap<String, ..>}
 * would. That order agrees with the documented bytewise one below U+D800 only. It is not registered
 * for ServiceLoader either.
 */
final class Utf16SortingKvProvider implements FamilyProvider<KvFunctions> {
    private static final Gson JSON = new GsonBuilder().disableHtmlEscaping().create();
    private final KvProvider real = new KvProvider();

    @Override
    public String name() {
        return "test-utf16-sorting-kv";
    }

    @Override
    public TypedFamily<KvFunctions> typedFamily() {
        return TypedFamily.KV;
    }

    @Override
    public KvFunctions bind(CapsuleContext capsule) {
        KvFunctions inner = real.bind(capsule);
        return new KvFunctions() {
            @Override
            public byte[] kvGet(byte[] key) {
                return inner.kvGet(key);
            }

            @Override
            public void kvSet(byte[] key, byte[] value) {
                inner.kvSet(key, value);
            }

            @Override
            public void kvDelete(byte[] key) {
                inner.kvDelete(key);
            }

            @Override
            public byte[] kvListKeys(byte[] prefix) {
                List<String> keys = new ArrayList<>(JSON.fromJson(new String(inner.kvListKeys(prefix), StandardCharsets.UTF_8),
                        new TypeToken<List<String>>() { }.getType()));
                Collections.sort(keys);
                return JSON.toJson(keys).getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public byte[] kvClearPrefix(byte[] prefix) {
                return inner.kvClearPrefix(prefix);
            }
        };
    }

    @Override
    public void close() {
        real.close();
    }
}
