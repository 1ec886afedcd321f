package dev.astrid.host.ipc.internal;

import dev.astrid.host.spi.HookInput;
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
    /** A raw-JSON payload with more than its tag starts with exactly these bytes (the mapper writes it that way). */
    static final byte[] RAW_JSON_PREFIX = "{\"type\":\"raw_json\",".getBytes(StandardCharsets.US_ASCII);

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
     * and raw-JSON payloads, the whole tagged JSON otherwise (docs/families/ipc.md, "Interceptors").
     */
    public byte[] interceptorArgument() {
        switch (kind) {
            case CUSTOM:
                return Arrays.copyOfRange(json, CUSTOM_PREFIX.length, json.length - 1);
            case RAW_JSON:
                return rawJsonArgument();
            default:
                return json.clone();
        }
    }

    /**
     * The whole input of an interceptor's {@code astrid_hook_trigger} call for an action, built
     * from the payload bytes in place.
     *
     * @throws IllegalArgumentException if the action is not valid Unicode
     */
    public byte[] hookInput(String action) {
        switch (kind) {
            case CUSTOM:
                return HookInput.encode(action, json, CUSTOM_PREFIX.length, json.length - CUSTOM_PREFIX.length - 1);
            case RAW_JSON:
                return HookInput.encode(action, rawJsonArgument());
            default:
                return HookInput.encode(action, json);
        }
    }

    /** The mapper writes the tag first, {@code {"type":"raw_json",...}}: the rest is the object without it. */
    private byte[] rawJsonArgument() {
        if (json.length <= RAW_JSON_PREFIX.length) {
            return "{}".getBytes(StandardCharsets.US_ASCII);
        }
        byte[] out = new byte[json.length - RAW_JSON_PREFIX.length + 1];
        out[0] = '{';
        System.arraycopy(json, RAW_JSON_PREFIX.length, out, 1, out.length - 1);
        return out;
    }
}
