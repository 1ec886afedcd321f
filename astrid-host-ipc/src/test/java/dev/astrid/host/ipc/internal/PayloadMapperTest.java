package dev.astrid.host.ipc.internal;

import static dev.astrid.host.ipc.internal.Fixture.parse;
import static dev.astrid.host.ipc.internal.Fixture.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
