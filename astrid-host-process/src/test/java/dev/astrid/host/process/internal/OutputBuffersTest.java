package dev.astrid.host.process.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The two output buffers at small sizes, where every wrap and cut is easy to see. */
class OutputBuffersTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Ring.Drained d) {
        return new String(d.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void captureKeepsTheFirstBytesAndCountsTheRest() {
        Capture c = new Capture(5);
        c.write(b("abc"), 0, 3);
        c.write(b("defg"), 0, 4);
        c.write(b("hij"), 1, 2);
        assertThat(new String(c.bytes(), StandardCharsets.UTF_8)).isEqualTo("abcde");
        assertThat(c.dropped()).isEqualTo(4);
    }

    @Test
    void theRingKeepsTheLastBytesAcrossWrapsAndCountsWhatItDropped() {
        Ring r = new Ring(8);
        r.end();
        r.write(b("abcdef"), 0, 6);
        r.write(b("ghij"), 0, 4); // wraps: "ab" dropped
        Ring.Drained d = r.drain();
        assertThat(text(d)).isEqualTo("cdefghij");
        assertThat(d.dropped()).isEqualTo(2);
        r.write(b("0123456789AB"), 0, 12); // more than the ring at once
        d = r.drain();
        assertThat(text(d)).isEqualTo("456789AB");
        assertThat(d.dropped()).isEqualTo(4);
        d = r.drain();
        assertThat(d.bytes()).isEmpty();
        assertThat(d.dropped()).isZero();
    }

    @Test
    void theRingGrowsWithItsOutputUpToItsSize() {
        int size = 100_000;
        Ring r = new Ring(size);
        r.end();
        byte[] chunk = new byte[7_001];
        long written = 0;
        for (int i = 0; i < 40; i++) {
            java.util.Arrays.fill(chunk, (byte) ('a' + i % 26));
            r.write(chunk, 0, chunk.length);
            written += chunk.length;
        }
        Ring.Drained d = r.drain();
        assertThat(d.bytes()).hasSize(size);
        assertThat(d.dropped()).isEqualTo(written - size);
        assertThat(d.bytes()[size - 1]).isEqualTo((byte) ('a' + 39 % 26));
    }

    @Test
    void aCharacterCutAtTheEndWaitsForItsRestUntilTheStreamEnds() {
        Ring r = new Ring(64);
        byte[] euro = b("x€"); // 'x', e2 82 ac
        r.write(euro, 0, 3);
        assertThat(text(r.drain())).isEqualTo("x");
        r.write(euro, 3, 1);
        assertThat(text(r.drain())).isEqualTo("€");
        r.write(new byte[] {(byte) 0xf0, (byte) 0x9f}, 0, 2);
        assertThat(r.drain().bytes()).isEmpty();
        r.end();
        assertThat(r.drain().bytes()).hasSize(2);
    }

    @Test
    void incompleteTailCountsOnlyBytesThatCanStillBecomeACharacter() {
        assertThat(Utf8.incompleteTail(b("abc"))).isZero();
        assertThat(Utf8.incompleteTail(new byte[] {'a', (byte) 0xc3})).isEqualTo(1);
        assertThat(Utf8.incompleteTail(new byte[] {(byte) 0xe2, (byte) 0x82})).isEqualTo(2);
        assertThat(Utf8.incompleteTail(new byte[] {(byte) 0xf0, (byte) 0x9f, (byte) 0x98})).isEqualTo(3);
        assertThat(Utf8.incompleteTail(b("é"))).isZero();
        assertThat(Utf8.incompleteTail(new byte[] {(byte) 0xff})).isZero();
        assertThat(Utf8.incompleteTail(new byte[] {(byte) 0x82, (byte) 0x82})).isZero();
    }
}
