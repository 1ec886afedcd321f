package dev.astrid.host.system;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.CapsuleHandle;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.Uuids;
import dev.astrid.host.spi.FamilyProvider;
import dev.astrid.host.spi.GuestText;
import dev.astrid.host.spi.TypedFamily;
import dev.astrid.sys.abi.CapabilityFunctions;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code astrid_check_capsule_capability}: whether the capsule behind a session id (the
 * {@code source_id} of its IPC messages) holds a manifest capability. Request
 * {@code {"source_uuid":"..","capability":".."}}, answer {@code {"allowed":true|false}}. As
 * upstream, the only capability answered is {@code allow_prompt_injection}; any other name, an
 * unknown or malformed session id, or an unloaded capsule answers {@code false}. A request that is
 * not that object in strict JSON and valid UTF-8 traps.
 */
public final class CapabilityProvider implements FamilyProvider<CapabilityFunctions> {
    @Override
    public String name() {
        return "astrid-reference-capability";
    }

    @Override
    public TypedFamily<CapabilityFunctions> typedFamily() {
        return TypedFamily.CAPABILITY;
    }

    @Override
    public CapabilityFunctions bind(CapsuleContext capsule) {
        return request -> {
            JsonObject req = parse(request);
            boolean allowed = "allow_prompt_injection".equals(req.get("capability").getAsString())
                    && session(req.get("source_uuid").getAsString()).flatMap(capsule.capsules()::bySession)
                            .map(CapsuleHandle::manifest).map(m -> m.capabilities().allowPromptInjection()).orElse(false);
            JsonObject out = new JsonObject();
            out.addProperty("allowed", allowed);
            return out.toString().getBytes(StandardCharsets.UTF_8);
        };
    }

    private static Optional<UUID> session(String text) {
        return Uuids.parse(text);
    }

    private static JsonObject parse(byte[] request) {
        JsonElement el;
        try {
            // Strict, as upstream's serde: Gson's lenient extensions and bytes that are not UTF-8 are not JSON.
            el = HookProvider.parseStrict(GuestText.decodeStrict(request));
        } catch (IllegalArgumentException e) {
            throw new HostException("check_capsule_capability failed: the request is not valid JSON: " + e.getMessage());
        }
        if (!el.isJsonObject() || !isString(el.getAsJsonObject(), "source_uuid") || !isString(el.getAsJsonObject(), "capability")) {
            throw new HostException("check_capsule_capability failed: the request must be "
                    + "{\"source_uuid\":\"<uuid>\",\"capability\":\"<name>\"}");
        }
        return el.getAsJsonObject();
    }

    private static boolean isString(JsonObject o, String key) {
        return o.has(key) && o.get(key).isJsonPrimitive() && o.get(key).getAsJsonPrimitive().isString();
    }
}
