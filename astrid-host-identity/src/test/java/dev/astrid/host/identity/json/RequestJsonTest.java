package dev.astrid.host.identity.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.astrid.host.spi.HostException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What serde would refuse, we refuse too, with a message that says what was wrong. */
class RequestJsonTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "``                      | invalid request: not JSON: unexpected end of input",
        "`   `                   | invalid request: not JSON: unexpected end of input",
        "not json                | invalid request: not JSON: malformed JSON at line 1 column 1",
        "{'platform':'p'}        | invalid request: not JSON: malformed JSON at line 1 column 3",
        "{\"a\":1,}              | invalid request: not JSON: Expected name at line 1 column 9",
        "{\"a\":NaN}             | invalid request: not JSON: malformed JSON at line 1 column 6",
        "{\"a\":\"\\q\"}         | invalid request: not JSON: Invalid escape sequence at line 1 column 9",
        "{\"a\":1} x             | invalid request: trailing characters after the JSON value",
        "{} {}                   | invalid request: trailing characters after the JSON value",
        "{\"a\":1}//             | invalid request: trailing characters after the JSON value",
        "[]                      | invalid request: expected a JSON object, got an array",
        "null                    | invalid request: expected a JSON object, got null",
        "42                      | invalid request: expected a JSON object, got a number",
        "\"s\"                   | invalid request: expected a JSON object, got a string",
        "true                    | invalid request: expected a JSON object, got a boolean",
    })
    void unreadableRequestsAreHostErrors(String request, String message) {
        assertThatThrownBy(() -> RequestJson.parse(request.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(HostException.class).hasMessage(message);
    }

    @Test
    void aControlCharacterInsideAStringIsRefused() {
        assertThatThrownBy(() -> RequestJson.parse("{\"a\":\"\t\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(HostException.class).hasMessageStartingWith("invalid request: not JSON: Unescaped control characters")
                .hasMessageEndingWith(" at line 1 column 7");
    }

    @Test
    void bytesThatAreNotUtf8AreRefused() {
        byte[] request = {'{', '"', 'a', '"', ':', '"', (byte) 0xff, '"', '}'};

        assertThatThrownBy(() -> RequestJson.parse(request))
                .isInstanceOf(HostException.class).hasMessage("invalid request: the bytes are not valid UTF-8");
    }

    @Test
    void nestingIsReadUpToGsonsLimitAndRefusedBeyondWithAShortMessage() {
        String fine = "{\"x\":" + "[".repeat(200) + "]".repeat(200) + "}";
        String deep = "{\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";

        assertThat(RequestJson.parse(fine.getBytes(StandardCharsets.UTF_8)).has("x")).isTrue();
        assertThatThrownBy(() -> RequestJson.parse(deep.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(HostException.class)
                .hasMessage("invalid request: not JSON: nested deeper than 255 levels");
    }

    @Test
    void whereGsonIsMoreLenientThanSerdeTheDocumentedBehaviourHolds() {
        var duplicate = RequestJson.parse("{\"a\":\"1\",\"a\":\"2\"}".getBytes(StandardCharsets.UTF_8));
        var withBom = RequestJson.parse("\ufeff{\"a\":\"1\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(RequestJson.string(duplicate, "a")).as("the last duplicate wins").isEqualTo("2");
        assertThat(RequestJson.string(withBom, "a")).as("a byte-order mark is skipped").isEqualTo("1");
    }

    @Test
    void requiredStringsMustBePresentAndStrings() {
        var o = RequestJson.parse("{\"s\":\"v\",\"n\":1,\"z\":null,\"b\":true,\"a\":[],\"o\":{}}".getBytes(StandardCharsets.UTF_8));

        assertThat(RequestJson.string(o, "s")).isEqualTo("v");
        assertThatThrownBy(() -> RequestJson.string(o, "missing")).isInstanceOf(HostException.class)
                .hasMessage("invalid request: missing field \"missing\"");
        assertThatThrownBy(() -> RequestJson.string(o, "n")).hasMessage("invalid request: field \"n\" must be a string, got a number");
        assertThatThrownBy(() -> RequestJson.string(o, "z")).hasMessage("invalid request: field \"z\" must be a string, got null");
        assertThatThrownBy(() -> RequestJson.string(o, "b")).hasMessage("invalid request: field \"b\" must be a string, got a boolean");
        assertThatThrownBy(() -> RequestJson.string(o, "a")).hasMessage("invalid request: field \"a\" must be a string, got an array");
        assertThatThrownBy(() -> RequestJson.string(o, "o")).hasMessage("invalid request: field \"o\" must be a string, got an object");
    }

    @Test
    void optionalStringsMayBeMissingOrNull() {
        var o = RequestJson.parse("{\"s\":\"v\",\"z\":null,\"n\":2}".getBytes(StandardCharsets.UTF_8));

        assertThat(RequestJson.optionalString(o, "s")).contains("v");
        assertThat(RequestJson.optionalString(o, "z")).isEmpty();
        assertThat(RequestJson.optionalString(o, "missing")).isEmpty();
        assertThatThrownBy(() -> RequestJson.optionalString(o, "n")).isInstanceOf(HostException.class)
                .hasMessage("invalid request: field \"n\" must be a string, got a number");
    }

    @Test
    void aLoneSurrogateEscapeIsRefusedAndAPairIsRead() {
        var lone = RequestJson.parse("{\"s\":\"a\\ud800\"}".getBytes(StandardCharsets.UTF_8));
        var pair = RequestJson.parse("{\"s\":\"\\ud83d\\ude00\"}".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> RequestJson.string(lone, "s")).isInstanceOf(HostException.class)
                .hasMessage("invalid request: field \"s\" contains a lone surrogate");
        assertThat(RequestJson.string(pair, "s")).isEqualTo("\ud83d\ude00");
    }
}
