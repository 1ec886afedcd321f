package dev.astrid.host.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HookInputTest {
    private static String input(String action, byte[] argument) {
        return new String(HookInput.encode(action, argument), StandardCharsets.UTF_8);
    }

    @Test
    void theArgumentBytesAreDecimalNumbers() {
        assertThat(input("on_x", "{\"k\":1}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("{\"name\":\"on_x\",\"arguments\":[123,34,107,34,58,49,125]}");
        assertThat(input("a", new byte[] {0, 9, 10, 99, 100, (byte) 255})).isEqualTo("{\"name\":\"a\",\"arguments\":[0,9,10,99,100,255]}");
        assertThat(input("a", new byte[0])).isEqualTo("{\"name\":\"a\",\"arguments\":[]}");
    }

    @Test
    void aRangeOfTheArrayIsEncodedInPlace() {
        byte[] whole = "xx[1]yy".getBytes(StandardCharsets.US_ASCII);
        assertThat(new String(HookInput.encode("a", whole, 2, 3), StandardCharsets.UTF_8))
                .isEqualTo("{\"name\":\"a\",\"arguments\":[91,49,93]}");
        assertThatThrownBy(() -> HookInput.encode("a", whole, 5, 3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void theActionIsAJsonString() {
        assertThat(input("q\"b\\s\n\u0001é", new byte[] {1}))
                .isEqualTo("{\"name\":\"q\\\"b\\\\s\\u000a\\u0001é\",\"arguments\":[1]}");
        assertThatThrownBy(() -> HookInput.encode("\uD800", new byte[0]))
                .hasMessage("hook action is not valid text: unpaired surrogate \\ud800");
    }
}
