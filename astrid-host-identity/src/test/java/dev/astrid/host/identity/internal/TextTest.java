package dev.astrid.host.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The string rules follow Rust's, not Java's nearest methods. */
class TextTest {

    @Test
    void trimRemovesUnicodeWhiteSpaceLikeRust() {
        assertThat(Text.trim("\u00a0\u0085\u3000\u2028 x y\t\n\u000b\u000c\r\u202f")).isEqualTo("x y");
    }

    @Test
    void trimKeepsWhatRustKeepsEvenWhereJavaWouldStrip() {
        // U+001C..U+001F count as white space for Character.isWhitespace, not for Unicode (or Rust).
        assertThat(Text.trim("\u001cx\u001f")).isEqualTo("\u001cx\u001f");
        assertThat(Text.trim("\u200bx")).as("zero-width space is not white space").isEqualTo("\u200bx");
    }

    @Test
    void blankMeansOnlyWhiteSpace() {
        assertThat(Text.isBlank("")).isTrue();
        assertThat(Text.isBlank(" \u00a0\t")).isTrue();
        assertThat(Text.isBlank("\u001c")).isFalse();
    }

    @Test
    void onlyAsciiLettersAreLowercased() {
        assertThat(Text.asciiLowercase("DisCORD")).isEqualTo("discord");
        assertThat(Text.asciiLowercase("ÄÖÜ İ Σ")).isEqualTo("ÄÖÜ İ Σ");
        String lower = "already lower";
        assertThat(Text.asciiLowercase(lower)).isSameAs(lower);
    }

    @Test
    void wellFormedMeansNoUnpairedSurrogate() {
        assertThat(Text.isWellFormed("a\ud83d\ude00b")).isTrue();
        assertThat(Text.isWellFormed("a\ud83d")).isFalse();
        assertThat(Text.isWellFormed("\ude00a")).isFalse();
        assertThat(Text.isWellFormed("\ud83d\ud83d\ude00")).isFalse();
    }

    @Test
    void previewCutsLongInput() {
        assertThat(Text.preview("short", 10)).isEqualTo("short");
        assertThat(Text.preview("abcdef", 3)).isEqualTo("abc...");
        assertThat(Text.preview("\ud83d\ude00\ud83d\ude00", 1)).isEqualTo("\ud83d\ude00...");
    }
}
