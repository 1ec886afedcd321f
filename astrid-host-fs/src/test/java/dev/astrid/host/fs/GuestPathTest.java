package dev.astrid.host.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.astrid.host.fs.GuestPath.Root;
import dev.astrid.host.spi.HostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lexical mapping from guest bytes to a root and its segments. */
class GuestPathTest {

    private static GuestPath parse(String s) {
        return GuestPath.parse(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void plainPathsAreWorkspaceRelative() {
        GuestPath p = parse("notes/a.txt");
        assertThat(p.root()).isEqualTo(Root.WORKSPACE);
        assertThat(p.segments()).containsExactly("notes", "a.txt");
        assertThat(p.relative()).isEqualTo("notes/a.txt");
        assertThat(p.text()).isEqualTo("notes/a.txt");
    }

    @Test
    void leadingSlashesEmptyAndDotSegmentsAreDropped() {
        assertThat(parse("/etc/passwd").segments()).containsExactly("etc", "passwd");
        assertThat(parse("//a//./b/.").segments()).containsExactly("a", "b");
        assertThat(parse("a/b/").segments()).containsExactly("a", "b");
    }

    @Test
    void theRootHasManySpellings() {
        for (String s : List.of("", "/", ".", "./", "a/..", "a/b/../..", "global://", "home:///", "cwd://")) {
            assertThat(parse(s).isRoot()).as(s).isTrue();
        }
        assertThat(parse("global://").root()).isEqualTo(Root.HOME);
    }

    @Test
    void dotDotIsResolvedLexically() {
        assertThat(parse("a/../b").segments()).containsExactly("b");
        assertThat(parse("a/b/../../c/./d/..").segments()).containsExactly("c");
        // upstream kept "new" here and dropped the ".." because "new" did not exist
        assertThat(parse("new/../x").segments()).containsExactly("x");
    }

    @Test
    void dotDotAboveTheRootIsRefused() {
        for (String s : List.of("..", "../x", "/../x", "a/../..", "a/../../b", "new/../../etc/passwd", "global://..",
                "home://a/../../x", "cwd://../x")) {
            assertThatThrownBy(() -> parse(s)).as(s)
                    .isInstanceOf(HostException.class)
                    .hasMessageStartingWith("path escapes root boundary: ")
                    .hasMessageContaining(s);
        }
        assertThatThrownBy(() -> parse("global://../x")).hasMessageContaining("home root");
        assertThatThrownBy(() -> parse("../x")).hasMessageContaining("workspace root");
    }

    @Test
    void schemesSelectTheRoot() {
        assertThat(parse("global://shared/a").root()).isEqualTo(Root.HOME);
        assertThat(parse("global://shared/a").segments()).containsExactly("shared", "a");
        assertThat(parse("home://shared/a").root()).isEqualTo(Root.HOME);
        assertThat(parse("home:///shared").segments()).containsExactly("shared");
        assertThat(parse("cwd://src").root()).isEqualTo(Root.WORKSPACE);
        assertThat(parse("cwd://src").segments()).containsExactly("src");
    }

    @Test
    void otherSchemesAreOrdinaryNames() {
        GuestPath p = parse("workspace://x");
        assertThat(p.root()).isEqualTo(Root.WORKSPACE);
        assertThat(p.segments()).containsExactly("workspace:", "x");
        assertThat(parse("global:/x").segments()).containsExactly("global:", "x");
        assertThat(parse("a/global://b").segments()).containsExactly("a", "global:", "b");
    }

    @Test
    void backslashesAreNamesNotSeparators() {
        assertThat(parse("C:\\Windows\\x").segments()).containsExactly("C:\\Windows\\x");
        assertThat(parse("..\\x").segments()).containsExactly("..\\x");
    }

    @Test
    void nulBytesAreRefused() {
        assertThatThrownBy(() -> GuestPath.parse(new byte[] {'a', 0, 'b'}))
                .isInstanceOf(HostException.class).hasMessage("path contains a NUL byte");
        assertThatThrownBy(() -> GuestPath.parse(new byte[] {0}))
                .isInstanceOf(HostException.class).hasMessage("path contains a NUL byte");
    }

    @Test
    void invalidUtf8IsRefusedNotMappedToTheRoot() {
        List<byte[]> bad = List.of(
                new byte[] {(byte) 0xff},
                new byte[] {(byte) 0x80},
                new byte[] {'a', (byte) 0xc3},                        // truncated sequence
                new byte[] {(byte) 0xc0, (byte) 0xaf},                // overlong "/"
                new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},   // UTF-16 surrogate
                new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}); // above U+10FFFF
        for (byte[] b : bad) {
            assertThatThrownBy(() -> GuestPath.parse(b))
                    .isInstanceOf(HostException.class).hasMessage("path is not valid UTF-8");
        }
        assertThat(GuestPath.parse("é/日本/😀".getBytes(StandardCharsets.UTF_8)).segments())
                .containsExactly("é", "日本", "😀");
    }

    @Test
    void theLengthLimitIs4096Bytes() {
        byte[] ok = "a".repeat(GuestPath.MAX_LENGTH).getBytes(StandardCharsets.UTF_8);
        assertThat(GuestPath.parse(ok).segments()).hasSize(1);
        byte[] tooLong = "a".repeat(GuestPath.MAX_LENGTH + 1).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> GuestPath.parse(tooLong))
                .isInstanceOf(HostException.class)
                .hasMessage("path is too long: 4097 bytes, the limit is 4096");
        // the limit counts bytes, not characters
        byte[] multiByte = "é".repeat(2049).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> GuestPath.parse(multiByte)).hasMessageContaining("4098 bytes");
    }

    @Test
    void theLengthIsCheckedBeforeTheContent() {
        byte[] zeros = new byte[GuestPath.MAX_LENGTH + 1];
        assertThatThrownBy(() -> GuestPath.parse(zeros)).hasMessageContaining("too long");
    }

    @Test
    void messagesShowControlCharactersEscapedAndLongPathsCut() {
        assertThatThrownBy(() -> parse("../a\nb\u007f"))
                .hasMessage("path escapes root boundary: ../a\\x0ab\\x7f climbs above the workspace root");
        String longPath = "../" + "x".repeat(1000);
        assertThatThrownBy(() -> parse(longPath))
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300).contains("..."));
        assertThat(parse("").toString()).isEqualTo("\"\"");
    }
}
