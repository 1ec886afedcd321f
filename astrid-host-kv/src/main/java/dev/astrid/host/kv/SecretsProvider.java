package dev.astrid.host.kv;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.ConfigSource;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.FamilyProvider;
import dev.astrid.host.spi.JsonErrors;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.spi.TypedFamily;
import dev.astrid.sys.abi.SecretFunctions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The secrets family: {@code astrid_has_secret} answers whether a capsule's secret is set,
 * never its value. Secrets live in {@link SecretStore} (setting {@code secrets.path}, default
 * {@code <data-dir>/secrets.db}), sealed with the key in {@link SecretKeyFile} (setting
 * {@code secrets.key-file}, never inside the data directory), owned by the capsule's
 * {@link CapsuleContext#stateNamespace()}, and are set with {@code astrid secret set}.
 */
public final class SecretsProvider implements FamilyProvider<SecretFunctions> {
    private SecretStore store;

    /**
     * Opens the secret store of a data directory and its settings ({@code secrets.path},
     * {@code secrets.key-file}).
     *
     * @throws KvException when the store cannot be opened, or the key file lies inside the data
     *     directory or does not open the store
     */
    public static SecretStore openStore(Path dataDir, ProviderSettings settings) {
        SecretKeyFile key = SecretKeyFile.of(settings.get("secrets.key-file"));
        key.requireOutside(dataDir, "the data directory");
        return SecretStore.open(settings.get("secrets.path").map(Path::of).orElse(dataDir.resolve("secrets.db")), key);
    }

    @Override
    public String name() {
        return "astrid-reference-secrets";
    }

    @Override
    public TypedFamily<SecretFunctions> typedFamily() {
        return TypedFamily.SECRETS;
    }

    @Override
    public synchronized SecretFunctions bind(CapsuleContext capsule) {
        if (store == null) {
            try {
                store = openStore(capsule.hostDataDir(), capsule.settings());
            } catch (KvException e) {
                throw new HostException(e.getMessage(), e);
            }
        }
        return new Binding(store, capsule.stateNamespace());
    }

    /** One capsule's view of the secret store: {@code has_secret}, and the secret half of its configuration. */
    private static final class Binding implements SecretFunctions, ConfigSource {
        private final SecretStore store;
        private final String owner;

        Binding(SecretStore store, String owner) {
            this.store = store;
            this.owner = owner;
        }

        @Override
        public byte[] hasSecret(byte[] request) {
            JsonObject out = new JsonObject();
            out.addProperty("exists", has(key(request)));
            return out.toString().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public Optional<Boolean> secretSet(String key) {
            String invalid = SecretStore.invalidKey(key);
            if (invalid != null) {
                throw new HostException("has_secret failed: " + invalid);
            }
            return Optional.of(has(key));
        }

        private boolean has(String key) {
            try {
                return store.has(owner, key);
            } catch (KvException e) {
                throw new HostException("has_secret failed: " + e.getMessage(), e);
            }
        }
    }

    /** The {@code key} of a {@code {"key":".."}} request, checked. */
    static String key(byte[] request) {
        JsonElement el;
        try {
            el = JsonParser.parseString(new String(request, StandardCharsets.UTF_8));
        } catch (JsonParseException e) {
            throw new HostException("has_secret failed: request is not valid JSON: " + JsonErrors.reason(e));
        }
        if (!el.isJsonObject() || !el.getAsJsonObject().has("key") || !el.getAsJsonObject().get("key").isJsonPrimitive()
                || !el.getAsJsonObject().get("key").getAsJsonPrimitive().isString()) {
            throw new HostException("has_secret failed: request must be {\"key\":\"<name>\"}");
        }
        String key = el.getAsJsonObject().get("key").getAsString();
        String invalid = SecretStore.invalidKey(key);
        if (invalid != null) {
            throw new HostException("has_secret failed: " + invalid);
        }
        return key;
    }

    @Override
    public synchronized void close() {
        if (store != null) {
            store.close();
            store = null;
        }
    }
}
