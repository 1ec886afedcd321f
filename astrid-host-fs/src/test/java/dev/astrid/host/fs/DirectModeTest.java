package dev.astrid.host.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.host.tck.TestCapsule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only direct mode shows: writes reach the workspace at once, atomically. */
class DirectModeTest {
    private static final Capabilities ALL = Capabilities.builder().fsRead("*", "home://").fsWrite("*", "home://").build();

    @TempDir
    Path temp;

    private TestCapsule.Host host;
    private CapsuleFileSystem fs;

    @BeforeEach
    void setUp() {
        host = new TestCapsule.Host(temp);
        fs = bind("direct", ALL, Map.of());
    }

    @AfterEach
    void tearDown() {
        fs.close();
    }

    private CapsuleFileSystem bind(String name, Capabilities caps, Map<String, String> extra) {
        ProviderSettings settings = ProviderSettings.of(Map.of(FsSettings.MODE, "direct"));
        for (Map.Entry<String, String> e : extra.entrySet()) {
            settings = settings.with(e.getKey(), e.getValue());
        }
        return new FsProvider().bind(host.capsule(name).capabilities(caps).settings(settings).build());
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void writesMkdirsAndUnlinksReachTheWorkspaceAtOnce() throws IOException {
        fs.writeFile(b("notes/a.txt"), b("hello"));
        assertThat(Files.readString(host.workspace().resolve("notes/a.txt"))).isEqualTo("hello");
        fs.fsMkdir(b("made/deep"));
        assertThat(host.workspace().resolve("made/deep")).isDirectory();
        fs.fsUnlink(b("notes/a.txt"));
        assertThat(host.workspace().resolve("notes/a.txt")).doesNotExist();
        assertThat(temp.resolve("data/capsules/direct")).isEmptyDirectory();
    }

    @Test
    void aReaderNeverSeesAHalfWrittenFile() throws Exception {
        byte[] small = new byte[256 * 1024];
        byte[] large = new byte[1024 * 1024];
        Arrays.fill(small, (byte) 's');
        Arrays.fill(large, (byte) 'L');
        fs.writeFile(b("hot.bin"), small);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < 60; i++) {
                    fs.writeFile(b("hot.bin"), i % 2 == 0 ? large : small);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        writer.start();
        Path hot = host.workspace().resolve("hot.bin");
        int reads = 0;
        do {
            byte[] seen = Files.readAllBytes(hot);
            assertThat(seen.length == small.length && Arrays.equals(seen, small)
                    || seen.length == large.length && Arrays.equals(seen, large))
                    .as("read %d saw %d bytes that are neither version", reads, seen.length).isTrue();
            reads++;
        } while (writer.isAlive());
        writer.join();
        assertThat(failure.get()).isNull();
        try (var names = Files.list(host.workspace())) {
            assertThat(names.map(p -> p.getFileName().toString())).containsExactly("hot.bin");
        }
    }

    @Test
    void aRewriteKeepsTheFilesPermissions() throws IOException {
        Path script = Files.writeString(host.workspace().resolve("run.sh"), "#!/bin/sh\n");
        try {
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
        } catch (UnsupportedOperationException e) {
            Assumptions.abort("no POSIX permissions here");
        }
        fs.writeFile(b("run.sh"), b("#!/bin/sh\necho hi\n"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(script))).isEqualTo("rwxr-x---");
    }

    @Test
    void unlinkOfALinkRemovesTheLinkNotItsTarget() throws IOException {
        Path target = Files.writeString(host.workspace().resolve("target.txt"), "kept");
        Files.createSymbolicLink(host.workspace().resolve("alias.txt"), Path.of("target.txt"));
        assertThat(new String(fs.readFile(b("alias.txt")), StandardCharsets.UTF_8)).isEqualTo("kept");
        fs.fsUnlink(b("alias.txt"));
        assertThat(host.workspace().resolve("alias.txt")).doesNotExist();
        assertThat(Files.readString(target)).isEqualTo("kept");
    }

    @Test
    void unlinkOfALinkThatPointsOutsideRemovesOnlyTheLink() throws IOException {
        Path outside = Files.writeString(temp.resolve("outside.txt"), "outside");
        Files.createSymbolicLink(host.workspace().resolve("out-link"), outside);
        fs.fsUnlink(b("out-link"));
        assertThat(host.workspace().resolve("out-link")).doesNotExist();
        assertThat(Files.readString(outside)).isEqualTo("outside");
    }

    @Test
    void cwdSchemeNamesTheWorkspace() throws IOException {
        fs.writeFile(b("cwd://via-scheme.txt"), b("cwd"));
        assertThat(Files.readString(host.workspace().resolve("via-scheme.txt"))).isEqualTo("cwd");
    }

    @Test
    void theHomeRootIsCreatedOnlyForCapsulesThatMayUseIt() {
        assertThat(temp.resolve("data/home")).isDirectory();
        try (CapsuleFileSystem plain = bind("plain", Capabilities.builder().fsRead("*").build(), Map.of())) {
            assertThat(plain.fsExists(b("a"))).isEmpty();
        }
        Path other = temp.resolve("other-home");
        bind("none", Capabilities.NONE, Map.of(FsSettings.HOME_ROOT, other.toString())).close();
        assertThat(other).doesNotExist();
    }

    @Test
    void theHomeRootCanBeMoved() throws IOException {
        Path elsewhere = temp.resolve("shared-home");
        try (CapsuleFileSystem moved = bind("moved", ALL, Map.of(FsSettings.HOME_ROOT, elsewhere.toString()))) {
            moved.writeFile(b("global://x.txt"), b("x"));
        }
        assertThat(Files.readString(elsewhere.resolve("x.txt"))).isEqualTo("x");
        try (CapsuleFileSystem relative = bind("relative", ALL, Map.of(FsSettings.HOME_ROOT, "h2"))) {
            relative.writeFile(b("home://y.txt"), b("y"));
        }
        assertThat(Files.readString(temp.resolve("data/h2/y.txt"))).isEqualTo("y");
    }

    @Test
    void aHomeRootMadeByAWriteThatALiteralEntryAllowed() throws IOException {
        // "/" allows every path, so home:// passes the gate although no home entry created the root at bind
        Path lazy = temp.resolve("lazy-home");
        try (CapsuleFileSystem literal = bind("literal", Capabilities.builder().fsRead("/").fsWrite("/").build(),
                Map.of(FsSettings.HOME_ROOT, lazy.toString()))) {
            assertThat(lazy).doesNotExist();
            assertThat(literal.fsExists(b("home://"))).isEmpty();
            literal.writeFile(b("home://made.txt"), b("m"));
        }
        assertThat(Files.readString(lazy.resolve("made.txt"))).isEqualTo("m");
    }

    @Test
    void aClosedFileSystemRefusesCallsAndClosingTwiceIsHarmless() {
        CapsuleFileSystem once = bind("once", ALL, Map.of());
        once.close();
        once.close();
        assertThatThrownBy(() -> once.fsExists(b(""))).isInstanceOf(HostException.class).hasMessageContaining("closed");
    }

    @Test
    void fifosAreNotRead() throws Exception {
        Path fifo = host.workspace().resolve("pipe");
        Process mk;
        try {
            mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            Assumptions.abort("mkfifo is not available: " + e);
            return;
        }
        Assumptions.assumeTrue(mk.waitFor() == 0 && Files.exists(fifo), "mkfifo failed");
        assertThatThrownBy(() -> fs.readFile(b("pipe")))
                .isInstanceOf(HostException.class)
                .hasMessage("read_file failed: not a regular file: pipe");
        assertThat(new String(fs.fsStat(b("pipe")), StandardCharsets.UTF_8)).contains("\"isDir\":false");
    }
}
