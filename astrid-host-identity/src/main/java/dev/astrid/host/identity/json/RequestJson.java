package dev.astrid.host.identity.json;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.astrid.host.identity.internal.Text;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.JsonErrors;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads identity requests. Upstream deserializes them with serde into typed structs, so anything
 * serde refuses (not UTF-8, not JSON, not an object, a missing field, a field of the wrong type)
 * is a parse error, and a parse error ends the guest call: every failure here is a
 * {@link HostException}. Unknown fields are ignored, as serde does. Where Gson is more lenient
 * than serde (the last of duplicate keys wins, a byte-order mark is skipped, nesting up to 255
 * rather than 128 levels), docs/families/identity.md says so.
 */
final class RequestJson {
    // Read through the adapter, not Gson.fromJson, which would force lenient parsing.
    private static final TypeAdapter<JsonElement> ELEMENTS = new Gson().getAdapter(JsonElement.class);

    private RequestJson() {}

    /** The request as a JSON object. */
    static JsonObject parse(byte[] request) {
        JsonElement element = element(decode(request));
        if (!element.isJsonObject()) {
            throw new HostException("invalid request: expected a JSON object, got " + kind(element));
        }
        return element.getAsJsonObject();
    }

    private static JsonElement element(String text) {
        try (JsonReader reader = new JsonReader(new StringReader(text))) {
            reader.setStrictness(Strictness.STRICT);
            JsonElement element;
            try {
                element = ELEMENTS.read(reader);
            } catch (IOException | JsonParseException | IllegalStateException e) {
                throw new HostException("invalid request: not JSON: " + gsonReason(e), e);
            }
            if (!atEnd(reader)) {
                throw new HostException("invalid request: trailing characters after the JSON value");
            }
            return element;
        } catch (IOException e) {
            // Closing a StringReader does not fail; the compiler cannot know that.
            throw new HostException("invalid request: " + e.getMessage(), e);
        }
    }

    // In strict mode Gson reports more input after the value as a lenience hint; say what it is.
    private static boolean atEnd(JsonReader reader) {
        try {
            return reader.peek() == JsonToken.END_DOCUMENT;
        } catch (IOException e) {
            return false;
        }
    }

    /** A required string field. */
    static String string(JsonObject request, String field) {
        JsonElement value = request.get(field);
        if (value == null) {
            throw new HostException("invalid request: missing field \"" + field + "\"");
        }
        return asString(field, value);
    }

    /** A field that may be absent or null, or else a string. */
    static Optional<String> optionalString(JsonObject request, String field) {
        JsonElement value = request.get(field);
        if (value == null || value.isJsonNull()) {
            return Optional.empty();
        }
        return Optional.of(asString(field, value));
    }

    private static String asString(String field, JsonElement value) {
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw new HostException("invalid request: field \"" + field + "\" must be a string, got " + kind(value));
        }
        String s = value.getAsString();
        // serde_json refuses a lone surrogate escape such as "\ud800"; it has no UTF-8 form either.
        if (!Text.isWellFormed(s)) {
            throw new HostException("invalid request: field \"" + field + "\" contains a lone surrogate");
        }
        return s;
    }

    private static String decode(byte[] request) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(request))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new HostException("invalid request: the bytes are not valid UTF-8", e);
        }
    }

    private static String gsonReason(Exception e) {
        return Text.preview(JsonErrors.reason(e), 200);
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
        var p = e.getAsJsonPrimitive();
        return p.isBoolean() ? "a boolean" : p.isNumber() ? "a number" : "a string";
    }
}
