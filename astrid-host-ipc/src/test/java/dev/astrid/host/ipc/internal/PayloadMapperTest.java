package dev.astrid.host.ipc.internal;

import static dev.astrid.host.ipc.internal.Fixture.b;
import static dev.astrid.host.ipc.internal.Fixture.parse;
import static dev.astrid.host.ipc.internal.Fixture.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.io.StringReader;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class PayloadMapperTest {

    private static String mapped(String payload) {
        return PayloadMapper.map(payload).jsonString();
    }

    @Test
    void aPayloadWithoutTypeIsWrappedAsCustom() {
        assertThat(mapped("{\"a\":1}")).isEqualTo("{\"type\":\"custom\",\"data\":{\"a\":1}}");
        assertThat(PayloadMapper.map("{\"a\":1}").kind()).isEqualTo(MappedPayload.Kind.CUSTOM);
    }

    @Test
    void anUnknownTagIsWrappedWithTheWholeObject() {
        assertThat(mapped("{\"type\":\"mystery\",\"x\":[1]}"))
                .isEqualTo("{\"type\":\"custom\",\"data\":{\"type\":\"mystery\",\"x\":[1]}}");
        // Tags are case-sensitive snake_case names.
        assertThat(mapped("{\"type\":\"Custom\",\"data\":1}"))
                .isEqualTo("{\"type\":\"custom\",\"data\":{\"type\":\"Custom\",\"data\":1}}");
    }

    @Test
    void aMalformedTagIsWrapped() {
        assertThat(mapped("{\"type\":42}")).isEqualTo("{\"type\":\"custom\",\"data\":{\"type\":42}}");
        assertThat(mapped("{\"type\":null}")).isEqualTo("{\"type\":\"custom\",\"data\":{\"type\":null}}");
        assertThat(mapped("{\"type\":[\"custom\"]}")).isEqualTo("{\"type\":\"custom\",\"data\":{\"type\":[\"custom\"]}}");
        // A custom payload that lacks its data cannot be read as one, so upstream wraps it.
        assertThat(mapped("{\"type\":\"custom\"}")).isEqualTo("{\"type\":\"custom\",\"data\":{\"type\":\"custom\"}}");
    }

    @Test
    void nonObjectsAreWrapped() {
        assertThat(mapped("[1,2]")).isEqualTo("{\"type\":\"custom\",\"data\":[1,2]}");
        assertThat(mapped("\"hi\"")).isEqualTo("{\"type\":\"custom\",\"data\":\"hi\"}");
        assertThat(mapped("7")).isEqualTo("{\"type\":\"custom\",\"data\":7}");
        assertThat(mapped("null")).isEqualTo("{\"type\":\"custom\",\"data\":null}");
        assertThat(mapped("true")).isEqualTo("{\"type\":\"custom\",\"data\":true}");
    }

    @Test
    void aCustomPayloadKeepsOnlyItsData() {
        assertThat(mapped("{\"type\":\"custom\",\"data\":{\"k\":\"v\"}}")).isEqualTo("{\"type\":\"custom\",\"data\":{\"k\":\"v\"}}");
        assertThat(mapped("{\"data\":[1],\"extra\":true,\"type\":\"custom\"}")).isEqualTo("{\"type\":\"custom\",\"data\":[1]}");
        assertThat(mapped("{\"type\":\"custom\",\"data\":null}")).isEqualTo("{\"type\":\"custom\",\"data\":null}");
    }

    @Test
    void knownTagsAreKeptAsGiven() {
        for (String tag : PayloadMapper.KNOWN_TAGS) {
            if (tag.equals("custom")) {
                continue;
            }
            String payload = "{\"type\":\"" + tag + "\",\"field\":{\"n\":1}}";
            assertThat(parse(mapped(payload))).as(tag).isEqualTo(parse(payload));
        }
        assertThat(PayloadMapper.map("{\"type\":\"connect\"}").kind()).isEqualTo(MappedPayload.Kind.TAGGED);
        assertThat(PayloadMapper.map("{\"type\":\"raw_json\",\"a\":1}").kind()).isEqualTo(MappedPayload.Kind.RAW_JSON);
    }

    @Test
    void outputIsCompactAndNotHtmlEscaped() {
        assertThat(mapped(" { \"a\" : \"<&>=\" } ")).isEqualTo("{\"type\":\"custom\",\"data\":{\"a\":\"<&>=\"}}");
        assertThat(mapped("\"h\u00e9\u20ac\uD83D\uDE00\"")).isEqualTo("{\"type\":\"custom\",\"data\":\"h\u00e9\u20ac\uD83D\uDE00\"}");
    }

    @Test
    void nonJsonIsRefused() {
        String[] bad = {"", "   ", "not json", "{\"a\":1", "{a:1}", "{'a':1}", "[1,]", "{\"a\":1,}", "NaN", "01",
            "1 2", "{}{}", "// c\n1", "\"tab\there\"", "\"\\x\"", "\uFEFF1", "[1;2]", "{\"a\"=1}"};
        for (String b : bad) {
            assertThatThrownBy(() -> PayloadMapper.map(b)).as("payload %s", b)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("IPC payload is not valid JSON");
        }
    }

    @Test
    void invalidUtf8IsRefused() {
        assertThatThrownBy(() -> PayloadMapper.map(new byte[] {'"', (byte) 0xC3, '"'}))
                .hasMessage("IPC payload is not valid JSON: not valid UTF-8");
        assertThat(PayloadMapper.map("\"\u00e9\"".getBytes(java.nio.charset.StandardCharsets.UTF_8)).jsonString())
                .isEqualTo("{\"type\":\"custom\",\"data\":\"\u00e9\"}");
    }

    @Test
    void nestingIsBounded() {
        String ok = "[".repeat(PayloadMapper.MAX_NESTING) + "]".repeat(PayloadMapper.MAX_NESTING);
        assertThat(mapped(ok)).startsWith("{\"type\":\"custom\",\"data\":[[");
        String deep = "[".repeat(PayloadMapper.MAX_NESTING + 1) + "]".repeat(PayloadMapper.MAX_NESTING + 1);
        assertThatThrownBy(() -> PayloadMapper.map(deep)).hasMessageContaining("nested deeper than");
        // Brackets inside strings are text, not nesting.
        assertThat(mapped("\"" + "[".repeat(1000) + "\\\"\"")).startsWith("{\"type\":\"custom\",\"data\":\"[[[");
    }

    @Test
    void errorMessagesSayWhereWithoutGsonAdvice() {
        assertThatThrownBy(() -> PayloadMapper.map("{a:1}"))
                .hasMessageStartingWith("IPC payload is not valid JSON: malformed JSON at line 1 column")
                .hasMessageNotContaining("setStrictness").hasMessageNotContaining("https://");
        assertThatThrownBy(() -> PayloadMapper.map("")).hasMessage("IPC payload is not valid JSON: unexpected end of input");
    }

    @Test
    void interceptorsReceiveTheInnerJsonOfCustomAndRawPayloads() {
        assertThat(s(PayloadMapper.map("{\"k\":\"v\"}").interceptorArgument())).isEqualTo("{\"k\":\"v\"}");
        assertThat(s(PayloadMapper.map("{\"type\":\"custom\",\"data\":[1,2]}").interceptorArgument())).isEqualTo("[1,2]");
        assertThat(s(PayloadMapper.map("{\"type\":\"raw_json\",\"status\":\"ready\"}").interceptorArgument()))
                .isEqualTo("{\"status\":\"ready\"}");
        assertThat(s(PayloadMapper.map("{\"type\":\"user_input\",\"text\":\"hi\"}").interceptorArgument()))
                .isEqualTo("{\"type\":\"user_input\",\"text\":\"hi\"}");
    }

    @Test
    void rawJsonPayloadsCarryTheirTagFirst() {
        assertThat(mapped("{\"a\":1,\"type\":\"raw_json\",\"b\":[2]}")).isEqualTo("{\"type\":\"raw_json\",\"a\":1,\"b\":[2]}");
        assertThat(mapped("{\"type\":\"raw_json\"}")).isEqualTo("{\"type\":\"raw_json\"}");
        assertThat(s(PayloadMapper.map("{\"type\":\"raw_json\"}").interceptorArgument())).isEqualTo("{}");
        assertThat(s(PayloadMapper.map("{\"a\":1,\"type\":\"raw_json\"}").interceptorArgument())).isEqualTo("{\"a\":1}");
    }

    @Test
    void repeatedNamesKeepTheirFirstPlaceAndLastValueAtEveryDepth() {
        assertThat(mapped("{\"a\":1,\"b\":2,\"a\":3}")).isEqualTo("{\"type\":\"custom\",\"data\":{\"a\":3,\"b\":2}}");
        assertThat(mapped("[{\"x\":{\"y\":1,\"y\":{\"z\":0,\"z\":[1]}},\"x\":{\"y\":2,\"w\":1,\"y\":3}}]"))
                .isEqualTo("{\"type\":\"custom\",\"data\":[{\"x\":{\"y\":3,\"w\":1}}]}");
        // The last type decides; a custom payload takes its last data.
        assertThat(mapped("{\"type\":\"custom\",\"data\":1,\"data\":2}")).isEqualTo("{\"type\":\"custom\",\"data\":2}");
        assertThat(mapped("{\"type\":\"custom\",\"data\":1,\"type\":5}"))
                .isEqualTo("{\"type\":\"custom\",\"data\":{\"type\":5,\"data\":1}}");
        assertThat(mapped("{\"type\":1,\"n\":0,\"type\":\"connect\"}")).isEqualTo("{\"type\":\"connect\",\"n\":0}");
    }

    @Test
    void theStreamingMapperAgreesWithATreeOfTheSameDocument() {
        Random random = new Random(8);
        for (int i = 0; i < 1000; i++) {
            String doc = randomDocument(random, 0);
            assertThat(mapped(doc)).as("document %s", doc).isEqualTo(treeMapped(doc));
        }
    }

    /** The mapping computed on a Gson tree, as the mapper did before it streamed. */
    private static String treeMapped(String doc) {
        JsonReader reader = new JsonReader(new StringReader(doc));
        reader.setStrictness(Strictness.STRICT);
        JsonElement value = JsonParser.parseReader(reader);
        if (value.isJsonObject()) {
            JsonObject o = value.getAsJsonObject();
            JsonElement type = o.get("type");
            String tag = type != null && type.isJsonPrimitive() && type.getAsJsonPrimitive().isString() ? type.getAsString() : null;
            if ("custom".equals(tag) && o.has("data")) {
                return "{\"type\":\"custom\",\"data\":" + o.get("data") + "}";
            }
            if ("raw_json".equals(tag)) {
                JsonObject raw = new JsonObject();
                raw.addProperty("type", "raw_json");
                for (Map.Entry<String, JsonElement> e : o.entrySet()) {
                    if (!e.getKey().equals("type")) {
                        raw.add(e.getKey(), e.getValue());
                    }
                }
                return raw.toString();
            }
            if (tag != null && !tag.equals("custom") && PayloadMapper.KNOWN_TAGS.contains(tag)) {
                return o.toString();
            }
        }
        return "{\"type\":\"custom\",\"data\":" + value + "}";
    }

    private static final String[] NAMES = {"type", "data", "a", "b", "n\\u0061me", "\\\"q", "\u00e9"};
    private static final String[] SCALARS = {"0", "-0", "1.50", "1e400", "-12", "true", "false", "null", "\"\"",
        "\"custom\"", "\"raw_json\"", "\"connect\"", "\"x\\n\\u0000\\u2028<>\"", "\"\\ud83d\\ude00\"", "\"\u20ac\""};

    /** Small documents over few names, so that names repeat and tags turn up often. */
    private static String randomDocument(Random r, int depth) {
        int pick = depth > 3 ? 2 : r.nextInt(depth == 0 ? 2 : 3);
        StringBuilder sb = new StringBuilder();
        String space = r.nextInt(4) == 0 ? " " : "";
        if (pick == 0) {
            sb.append('{').append(space);
            int n = r.nextInt(depth == 0 ? 10 : 5);
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    sb.append(',').append(space);
                }
                String name = NAMES[r.nextInt(depth == 0 ? 3 : NAMES.length)];
                sb.append('"').append(name).append("\":").append(space).append(randomDocument(r, depth + 1));
            }
            sb.append(space).append('}');
        } else if (pick == 1) {
            sb.append('[');
            int n = r.nextInt(5);
            for (int i = 0; i < n; i++) {
                sb.append(i > 0 ? "," : "").append(space).append(randomDocument(r, depth + 1));
            }
            sb.append(']');
        } else {
            sb.append(SCALARS[r.nextInt(SCALARS.length)]);
        }
        return sb.toString();
    }

    @Test
    void halfASurrogatePairIsRefused() {
        for (String bad : new String[] {"\"\\ud800\"", "{\"\\udfff\":1}", "[\"\\ud83d\\u0041\"]"}) {
            assertThatThrownBy(() -> PayloadMapper.map(b(bad))).as(bad)
                    .hasMessageStartingWith("IPC payload is not valid JSON: a string holds an unpaired surrogate \\u");
        }
    }

    @Test
    void mappingForACapsuleStopsWhenItsThreadIsInterrupted() {
        byte[] big = b("[" + "1,".repeat(100_000) + "1]");
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> PayloadMapper.map(big)).isInstanceOf(CancellationException.class);
            assertThat(Thread.currentThread().isInterrupted()).as("the flag stays set for the host").isTrue();
            // Java publishers are not cancelled that way.
            assertThat(PayloadMapper.map(s(big)).kind()).isEqualTo(MappedPayload.Kind.CUSTOM);
        } finally {
            Thread.interrupted();
        }
    }
}
