package dev.astrid.host.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the one escaping helper escapes, and what it leaves alone. */
class PrintableTextTest {
    @Test
    void escapesEveryControlAndBidiCharacter() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            all.append(c);
        }
        all.append('\u007f');
        for (char c = 0x80; c < 0xa0; c++) {
            all.append(c);
        }
        all.append("\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069");
        String out = PrintableText.escape(all.toString());
        assertThat(out.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
        assertThat(out).startsWith("\\x00\\x01").contains("\\t\\n\\x0b\\x0c\\r", "\\x1b", "\\x7f\\x80", "\\x9b", "\\u202e", "\\u2069");
    }

    @Test
    void keepsOrdinaryTextAndIsIdempotent() {
        String plain = "héllo wörld 😀 \\n is a backslash and an n; \u200e no: that was U+200E";
        String once = PrintableText.escape(plain);
        assertThat(once).isEqualTo(plain.replace("\u200e", "\\u200e"));
        assertThat(PrintableText.escape(once)).isEqualTo(once);
        String simple = "nothing to do";
        assertThat(PrintableText.escape(simple)).isSameAs(simple);
        assertThat(PrintableText.escape(null)).isEqualTo("null");
    }
}
