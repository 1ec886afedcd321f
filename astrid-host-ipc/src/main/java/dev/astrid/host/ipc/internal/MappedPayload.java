package dev.astrid.host.ipc.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A payload after mapping: its compact JSON as subscribers see it, and what kind of payload it is,
 * which decides the bytes an interceptor receives.
 */
public final class MappedPayload {

    /** How the payload's interceptor argument is derived from its JSON. */
    public enum Kind {
        /** {@code {"type":"custom","data":X}}: interceptors receive X. */
        CUSTOM,
        /** {@code {"type":"raw_json",...}}: interceptors receive the object without its tag. */
        RAW_JSON,
        /** Any other known tag: interceptors receive the whole tagged JSON. */
        TAGGED
    }

    /** Every custom payload starts with exactly these bytes (the mapper writes it that way). */
    static final byte[] CUSTOM_PREFIX = "{\"type\":\"custom\",\"data\":".getBytes(StandardCharsets.US_ASCII);

    private final byte[] json;
    private final Kind kind;

    MappedPayload(byte[] json, Kind kind) {
        this.json = json;
        this.kind = kind;
    }

    /** The payload JSON; shared, never modify it. */
    byte[] json() {
        return json;
    }

    /** The length of the payload JSON in bytes, the unit of the drain budget. */
    public int length() {
        return json.length;
    }

    /** The payload's kind. */
    public Kind kind() {
        return kind;
    }

    /** The payload JSON as a string. */
    public String jsonString() {
        return new String(json, StandardCharsets.UTF_8);
    }

    /**
     * The bytes an interceptor's {@code astrid_hook_trigger} receives: the inner JSON for custom
     * and raw-JSON payloads, the whole tagged JSON otherwise (CONTRACT §4.8).
     */
    public byte[] interceptorArgument() {
        switch (kind) {
            case CUSTOM:
                return Arrays.copyOfRange(json, CUSTOM_PREFIX.length, json.length - 1);
            case RAW_JSON:
                // Rare, so parsing our own compact output again is cheaper than keeping a tree.
                JsonObject o = JsonParser.parseString(jsonString()).getAsJsonObject().deepCopy();
                o.remove("type");
                return o.toString().getBytes(StandardCharsets.UTF_8);
            default:
                return json.clone();
        }
    }

    static MappedPayload custom(JsonElement data) {
        byte[] inner = data.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[CUSTOM_PREFIX.length + inner.length + 1];
        System.arraycopy(CUSTOM_PREFIX, 0, out, 0, CUSTOM_PREFIX.length);
        System.arraycopy(inner, 0, out, CUSTOM_PREFIX.length, inner.length);
        out[out.length - 1] = '}';
        return new MappedPayload(out, Kind.CUSTOM);
    }
}
