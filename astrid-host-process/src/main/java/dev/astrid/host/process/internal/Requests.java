package dev.astrid.host.process.internal;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.astrid.host.spi.GuestText;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.JsonErrors;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the requests of the process functions. Anything upstream's serde would refuse traps with
 * {@code failed to parse process request: <reason>}; unknown fields are ignored. Unlike upstream,
 * JSON escapes in {@code cmd} and {@code args} are read normally (docs/families/process.md).
 */
final class Requests {
    private static final TypeAdapter<JsonElement> ELEMENTS = new Gson().getAdapter(JsonElement.class);
    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final String PREFIX = "failed to parse process request: ";

    private Requests() {}

    /** {@code {"cmd":"..","args":[".."]}}, {@code args} optional. */
    record Command(String cmd, List<String> args) {}

    static Command command(byte[] request) {
        JsonObject o = object(request);
        JsonElement cmd = o.get("cmd");
        if (cmd == null) {
            throw bad("missing field \"cmd\"");
        }
        String c = string("cmd", cmd);
        if (c.isEmpty()) {
            throw bad("\"cmd\" is empty");
        }
        List<String> args = new ArrayList<>();
        JsonElement a = o.get("args");
        if (a != null) {
            if (!a.isJsonArray()) {
                throw bad("field \"args\" must be an array of strings, got " + kind(a));
            }
            JsonArray arr = a.getAsJsonArray();
            for (int i = 0; i < arr.size(); i++) {
                args.add(string("args[" + i + "]", arr.get(i)));
            }
        }
        return new Command(c, List.copyOf(args));
    }

    /**
     * The id of a background process as the guest wrote it.
     *
     * @param value the id, or -1 for one above {@link Long#MAX_VALUE}: a valid request that names no process
     * @param text the decimal digits
     */
    record Id(long value, String text) {}

    /** The id of {@code {"id":N}}, an unsigned 64-bit integer as upstream reads it. */
    static Id id(byte[] request) {
        JsonObject o = object(request);
        JsonElement id = o.get("id");
        if (id == null) {
            throw bad("missing field \"id\"");
        }
        String digits = id.isJsonPrimitive() && id.getAsJsonPrimitive().isNumber() ? id.getAsString() : null;
        if (digits == null || !digits.matches("0|[1-9][0-9]*")) {
            throw bad("field \"id\" must be an unsigned integer, got " + (digits != null ? digits : kind(id)));
        }
        BigInteger v = new BigInteger(digits);
        if (v.compareTo(U64_MAX) > 0) {
            throw bad("field \"id\" is larger than an unsigned 64-bit integer");
        }
        return new Id(v.bitLength() < 64 ? v.longValue() : -1, digits);
    }

    private static JsonObject object(byte[] request) {
        String text;
        try {
            text = GuestText.decodeStrict(request);
        } catch (IllegalArgumentException e) {
            throw bad("the request is not valid UTF-8");
        }
        JsonElement e;
        try (JsonReader r = new JsonReader(new StringReader(text))) {
            r.setStrictness(Strictness.STRICT);
            try {
                e = ELEMENTS.read(r);
                if (r.peek() != JsonToken.END_DOCUMENT) {
                    throw bad("trailing characters after the JSON value");
                }
            } catch (IOException | JsonParseException | IllegalStateException | NumberFormatException ex) {
                throw bad(JsonErrors.reason(ex));
            }
        } catch (IOException ex) {
            // Closing a StringReader does not fail.
            throw bad(JsonErrors.reason(ex));
        }
        if (!e.isJsonObject()) {
            throw bad("expected a JSON object, got " + kind(e));
        }
        return e.getAsJsonObject();
    }

    private static String string(String field, JsonElement v) {
        if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
            throw bad("field \"" + field + "\" must be a string, got " + kind(v));
        }
        String s = v.getAsString();
        try {
            GuestText.encodeStrict(s);
        } catch (IllegalArgumentException e) {
            throw bad("field \"" + field + "\" holds an " + e.getMessage());
        }
        if (s.indexOf('\0') >= 0) {
            throw bad("field \"" + field + "\" holds a NUL character, which no program argument can carry");
        }
        return s;
    }

    private static HostException bad(String reason) {
        return new HostException(PREFIX + reason);
    }

    private static String kind(JsonElement e) {
        if (e.isJsonNull()) {
            return "null";
        }
        if (e.isJsonObject()) {
            return "an object";
        }
        if (e.isJsonArray()) {
            return "an array";
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        return p.isBoolean() ? "a boolean" : p.isNumber() ? "a number" : "a string";
    }
}
