package dev.astrid.host.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GuestTextTest {
    private static final byte[] INVALID = {'a', (byte) 0xc3, 'b'};

    @Test
    void strictDecodingRefusesInvalidUtf8() {
        assertThat(GuestText.decodeStrict("héllo".getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo("héllo");
        assertThat(GuestText.decodeStrict(new byte[0])).isEmpty();
        assertThatThrownBy(() -> GuestText.decodeStrict(INVALID)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not valid UTF-8");
    }

    @Test
    void lossyAndEmptyFlavours() {
        assertThat(GuestText.decodeLossy(INVALID)).isEqualTo("a\ufffdb");
        assertThat(GuestText.decodeOrEmpty(INVALID)).isEmpty();
        assertThat(GuestText.decodeOrEmpty("ok".getBytes())).isEqualTo("ok");
    }

    @Test
    void encodedLengthCountsUtf8BytesWithoutEncoding() {
        assertThat(GuestText.encodedLength("")).isZero();
        assertThat(GuestText.encodedLength("a")).isEqualTo(1);
        assertThat(GuestText.encodedLength("é")).isEqualTo(2);
        assertThat(GuestText.encodedLength("€")).isEqualTo(3);
        assertThat(GuestText.encodedLength("\ud83d\ude00")).isEqualTo(4);
        assertThat(GuestText.encodedLength("\ud800")).as("a lone surrogate, as its replacement").isEqualTo(3);
    }

    @Test
    void strictEncodingRefusesHalfASurrogatePair() {
        assertThat(GuestText.encodeStrict("h\u00e9\uD83D\uDE00")).isEqualTo("h\u00e9\uD83D\uDE00".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (String bad : new String[] {"\uD800", "a\uDC00", "\uD83Dx", "\uDE00\uD83D"}) {
            assertThatThrownBy(() -> GuestText.encodeStrict(bad)).as("%s", bad.codePoints().toArray())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("unpaired surrogate \\u");
        }
        assertThatThrownBy(() -> GuestText.encodeStrict("\uD800")).hasMessage("unpaired surrogate \\ud800");
    }
}
