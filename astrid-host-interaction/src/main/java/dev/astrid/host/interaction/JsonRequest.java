package dev.astrid.host.interaction;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.JsonErrors;
import dev.astrid.host.spi.PayloadLimits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A guest's JSON request object, with the field checks both families share. */
final class JsonRequest {
    private final JsonObject obj;
    private final String shape;

    private JsonRequest(JsonObject obj, String shape) {
        this.obj = obj;
        this.shape = shape;
    }

    /**
     * Parses a request of at most {@link PayloadLimits#MAX_GUEST_PAYLOAD} bytes that must be a
     * JSON object.
     *
     * @param shape the expected shape, quoted in error messages
     */
    static JsonRequest parse(byte[] bytes, String shape) {
        PayloadLimits.requireAtMost(bytes, PayloadLimits.MAX_GUEST_PAYLOAD);
        JsonElement el;
        try {
            el = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
        } catch (JsonParseException e) {
            throw new HostException("request is not valid JSON: " + JsonErrors.reason(e));
        }
        if (!el.isJsonObject()) {
            throw new HostException("request must be a JSON object " + shape);
        }
        return new JsonRequest(el.getAsJsonObject(), shape);
    }

    /** A required string field. */
    String string(String name) {
        String v = optionalString(name);
        if (v == null) {
            throw new HostException("request has no \"" + name + "\" string; expected " + shape);
        }
        return v;
    }

    /** An optional string field; null when absent or JSON null. */
    String optionalString(String name) {
        JsonElement v = obj.get(name);
        if (v == null || v.isJsonNull()) {
            return null;
        }
        if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
            throw new HostException("\"" + name + "\" must be a string; expected " + shape);
        }
        return v.getAsString();
    }

    /** An optional list of strings; empty when absent or JSON null. */
    List<String> strings(String name) {
        JsonElement v = obj.get(name);
        if (v == null || v.isJsonNull()) {
            return List.of();
        }
        if (!v.isJsonArray()) {
            throw new HostException("\"" + name + "\" must be an array of strings; expected " + shape);
        }
        JsonArray a = v.getAsJsonArray();
        List<String> out = new ArrayList<>(a.size());
        for (JsonElement e : a) {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                throw new HostException("\"" + name + "\" must be an array of strings; expected " + shape);
            }
            out.add(e.getAsString());
        }
        return out;
    }
}
