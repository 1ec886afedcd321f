package dev.astrid.host.ipc.internal;

import dev.astrid.host.spi.GuestText;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Turns a published payload into what subscribers receive (CONTRACT §4.3 step 6): strict JSON is
 * required; an object whose {@code type} is a known tag is kept as given; {@code custom} keeps only
 * its {@code data}; everything else is wrapped as {@code {"type":"custom","data":<original>}}.
 */
public final class PayloadMapper {

    /** The tags of upstream's {@code IpcPayload} variants. */
    static final Set<String> KNOWN_TAGS = Set.of("raw_json", "user_input", "agent_response", "approval_required",
            "approval_response", "onboarding_required", "llm_request", "llm_stream_event", "llm_response",
            "tool_execute_request", "tool_execute_result", "tool_cancel_request", "selection_required",
            "elicit_request", "elicit_response", "connect", "disconnect", "custom");

    /** Deeper documents are refused: upstream's parser has the same kind of limit, and ours keeps the stack safe. */
    static final int MAX_NESTING = 128;

    private static final String NOT_JSON = "IPC payload is not valid JSON";

    private PayloadMapper() {}

    /**
     * Maps a payload given as bytes.
     *
     * @throws IllegalArgumentException starting with {@code IPC payload is not valid JSON}
     */
    public static MappedPayload map(byte[] payload) {
        String text;
        try {
            text = GuestText.decodeStrict(payload);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(NOT_JSON + ": not valid UTF-8");
        }
        return map(text);
    }

    /**
     * Maps a payload given as text.
     *
     * @throws IllegalArgumentException starting with {@code IPC payload is not valid JSON}
     */
    public static MappedPayload map(String payload) {
        JsonElement value = parseStrict(payload);
        if (value.isJsonObject()) {
            JsonObject object = value.getAsJsonObject();
            String tag = stringTag(object);
            if ("custom".equals(tag)) {
                JsonElement data = object.get("data");
                if (data != null) {
                    return MappedPayload.custom(data);
                }
                // Upstream cannot read a custom variant without data, so it wraps the whole object.
            } else if (tag != null && KNOWN_TAGS.contains(tag)) {
                return new MappedPayload(value.toString().getBytes(StandardCharsets.UTF_8),
                        "raw_json".equals(tag) ? MappedPayload.Kind.RAW_JSON : MappedPayload.Kind.TAGGED);
            }
        }
        return MappedPayload.custom(value);
    }

    private static String stringTag(JsonObject object) {
        JsonElement type = object.get("type");
        if (type instanceof JsonPrimitive && ((JsonPrimitive) type).isString()) {
            return type.getAsString();
        }
        return null;
    }

    /** Parses one RFC 8259 JSON document, refusing Gson's lenient extensions and trailing content. */
    static JsonElement parseStrict(String text) {
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            throw new IllegalArgumentException(NOT_JSON + ": byte order mark");
        }
        checkNesting(text);
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.STRICT);
        try {
            // peek first: Gson would read an empty document as null.
            reader.peek();
            JsonElement value = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new IllegalArgumentException(NOT_JSON + ": trailing content after the document");
            }
            return value;
        } catch (IOException | JsonParseException e) {
            throw new IllegalArgumentException(NOT_JSON + ": " + describe(e), e);
        }
    }

    /** Refuses nesting deeper than {@link #MAX_NESTING} before Gson builds (and we print) a tree. */
    private static void checkNesting(String text) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '[' || c == '{') {
                if (++depth > MAX_NESTING) {
                    throw new IllegalArgumentException(NOT_JSON + ": nested deeper than " + MAX_NESTING + " levels");
                }
            } else if (c == ']' || c == '}') {
                depth--;
            }
        }
    }

    /** Gson's messages carry advice for Gson users and a URL; keep the part that says where. */
    private static String describe(Exception e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = m.indexOf('\n');
        if (nl >= 0) {
            m = m.substring(0, nl);
        }
        m = m.replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", "malformed JSON");
        if (t instanceof java.io.EOFException) {
            m = "unexpected end of input";
        }
        int path = m.indexOf(" path $");
        return path >= 0 ? m.substring(0, path) : m;
    }
}
