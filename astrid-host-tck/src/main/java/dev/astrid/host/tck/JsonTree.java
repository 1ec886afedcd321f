package dev.astrid.host.tck;

import static org.assertj.core.api.Assertions.fail;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a provider's JSON answer into plain Java values, for assertions: objects become
 * insertion-ordered maps, arrays lists, integers {@code Long}, other numbers {@code Double}.
 * Malformed JSON, trailing content and duplicate keys fail the test.
 */
public final class JsonTree {
    private JsonTree() {}

    /** Parses one JSON document. */
    public static Object parse(String text) {
        try (JsonReader r = new JsonReader(new StringReader(text))) {
            r.setStrictness(Strictness.STRICT);
            Object v = value(r, text);
            if (r.peek() != JsonToken.END_DOCUMENT) {
                fail("trailing content after the JSON value in " + text);
            }
            return v;
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            return fail("not valid JSON (" + e.getMessage() + "): " + text);
        }
    }

    private static Object value(JsonReader r, String text) throws IOException {
        switch (r.peek()) {
            case BEGIN_OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                r.beginObject();
                while (r.hasNext()) {
                    String key = r.nextName();
                    if (m.containsKey(key)) {
                        fail("duplicate key \"" + key + "\" in " + text);
                    }
                    m.put(key, value(r, text));
                }
                r.endObject();
                return Collections.unmodifiableMap(m);
            }
            case BEGIN_ARRAY: {
                List<Object> l = new ArrayList<>();
                r.beginArray();
                while (r.hasNext()) {
                    l.add(value(r, text));
                }
                r.endArray();
                return Collections.unmodifiableList(l);
            }
            case STRING:
                return r.nextString();
            case NUMBER: {
                String n = r.nextString();
                return n.matches("-?\\d+") ? (Object) Long.valueOf(n) : (Object) Double.valueOf(n);
            }
            case BOOLEAN:
                return r.nextBoolean();
            case NULL:
                r.nextNull();
                return null;
            default:
                return fail("unexpected " + r.peek() + " in " + text);
        }
    }
}
