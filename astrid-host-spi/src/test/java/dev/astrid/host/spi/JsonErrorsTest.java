package dev.astrid.host.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class JsonErrorsTest {
    @Test
    void gsonMessagesLoseTheirPathsAdviceAndLinks() {
        assertThat(JsonErrors.reason(new IOException("Use JsonReader.setStrictness(Strictness.LENIENT) to accept "
                + "malformed JSON at line 1 column 3 path $.\nSee https://github.com/google/gson/blob/main/Troubleshooting.md")))
                .isEqualTo("malformed JSON at line 1 column 3");
        assertThat(JsonErrors.reason(new RuntimeException("wrapped", new IOException(
                "Nesting limit 255 reached at line 1 column 257 path $.payload[0][0]")))).isEqualTo("nested deeper than 255 levels");
        assertThat(JsonErrors.reason(new EOFException("End of input at line 1 column 9 path $.hook")))
                .isEqualTo("unexpected end of input");
    }

    @Test
    void anErrorTheParserWrappedIsNotAReasonButRethrown() {
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
        assertThatThrownBy(() -> JsonErrors.reason(new RuntimeException("Failed parsing JSON source", oom))).isSameAs(oom);
    }
}
