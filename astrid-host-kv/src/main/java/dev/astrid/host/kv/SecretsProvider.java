package dev.astrid.host.kv;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.ConfigSource;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.FamilyProvider;
import dev.astrid.host.spi.GuestText;
import dev.astrid.host.spi.JsonErrors;
import dev.astrid.host.spi.services.SecretStore;
import dev.astrid.host.spi.services.SecretStoreException;
import dev.astrid.host.spi.TypedFamily;
import dev.astrid.sys.abi.SecretFunctions;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The secrets family: {@code astrid_has_secret} answers whether a capsule's secret is set, never
 * its value. It asks the host's {@link CapsuleContext#secrets() secret store} (by default the
 * sealed store of {@link SealedSecretStoreFactory}, or the embedding application's own), for the
 * capsule's {@link CapsuleContext#stateNamespace()}; values are set with {@code astrid secret set}
 * or an install-time question.
 */
public final class SecretsProvider implements FamilyProvider<SecretFunctions> {

    @Override
    public String name() {
        return "astrid-reference-secrets";
    }

    @Override
    public TypedFamily<SecretFunctions> typedFamily() {
        return TypedFamily.SECRETS;
    }

    @Override
    public SecretFunctions bind(CapsuleContext capsule) {
        return new Binding(capsule.secrets(), capsule.stateNamespace());
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
            } catch (SecretStoreException e) {
                throw new HostException("has_secret failed: " + e.getMessage(), e);
            }
        }
    }

    /** The {@code key} of a {@code {"key":".."}} request, checked. */
    static String key(byte[] request) {
        JsonElement el;
        try {
            el = parseStrict(GuestText.decodeStrict(request));
        } catch (IllegalArgumentException e) {
            throw new HostException("has_secret failed: request is not valid JSON: " + e.getMessage());
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

    /**
     * One RFC 8259 document, as upstream's serde reads it: Gson's lenient extensions (unquoted names,
     * single quotes) and an empty request are not JSON.
     *
     * @throws IllegalArgumentException with one clear reason
     */
    private static JsonElement parseStrict(String text) {
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.STRICT);
        try {
            // peek first: Gson would read an empty document as null.
            reader.peek();
            JsonElement value = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new IllegalArgumentException("trailing content after the document");
            }
            return value;
        } catch (IOException | JsonParseException e) {
            throw new IllegalArgumentException(JsonErrors.reason(e), e);
        }
    }
}
