package dev.astrid.host.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.astrid.host.fs.internal.Binder;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.host.tck.TestCapsule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only overlay mode shows: the merged view, whiteouts, and the commit or discard at unload. */
class OverlayModeTest {
    private static final Capabilities ALL = Capabilities.builder().fsRead("*", "home://").fsWrite("*", "home://").build();

    @TempDir
    Path temp;

    private TestCapsule.Host host;
    private Path ws;
    private final List<CapsuleFileSystem> open = new ArrayList<>();

    @BeforeEach
    void setUp() {
        host = new TestCapsule.Host(temp);
        ws = host.workspace();
    }

    @AfterEach
    void tearDown() {
        open.forEach(CapsuleFileSystem::close);
    }

    private CapsuleFileSystem overlay(String name, String onUnload) {
        ProviderSettings s = ProviderSettings.of(Map.of(FsSettings.MODE, "overlay"));
        if (onUnload != null) {
            s = s.with(FsSettings.ON_UNLOAD, onUnload);
        }
        CapsuleFileSystem fs = new FsProvider().bind(host.capsule(name).capabilities(ALL).settings(s).build());
        open.add(fs);
        return fs;
    }

    private CapsuleFileSystem committing() {
        return overlay("committer", "commit");
    }

    private CapsuleFileSystem discarding() {
        return overlay("discarder", null);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private Path seed(String rel, String content) throws IOException {
        Path p = ws.resolve(rel);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, content);
    }

    private Path sessions(String capsule) {
        return temp.resolve("data/capsules").resolve(capsule).resolve(Binder.OVERLAY_DIR);
    }

    /** Every path below a directory, relative, with "/" after directories; sorted. */
    private static List<String> tree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> !p.equals(root))
                    .map(p -> root.relativize(p).toString().replace('\\', '/') + (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "/" : ""))
                    .sorted().toList();
        }
    }

    @Test
    void overlayIsTheDefaultMode() throws IOException {
        CapsuleFileSystem fs = new FsProvider().bind(host.capsule("default").capabilities(ALL).build());
        open.add(fs);
        fs.writeFile(b("a.txt"), b("a"));
        assertThat(ws.resolve("a.txt")).doesNotExist();
        assertThat(s(fs.readFile(b("a.txt")))).isEqualTo("a");
        assertThat(tree(sessions("default"))).anyMatch(p -> p.endsWith("upper/a.txt"));
    }

    @Test
    void theWorkspaceIsUntouchedUntilTheCommit() throws IOException {
        seed("keep.txt", "lower");
        seed("drop.txt", "lower");
        List<String> before = tree(ws);
        CapsuleFileSystem fs = committing();
        fs.writeFile(b("keep.txt"), b("upper"));
        fs.writeFile(b("new/deep.txt"), b("new"));
        fs.fsMkdir(b("empty-dir"));
        fs.fsUnlink(b("drop.txt"));
        assertThat(tree(ws)).isEqualTo(before);
        assertThat(Files.readString(ws.resolve("keep.txt"))).isEqualTo("lower");
        fs.close();
        assertThat(tree(ws)).containsExactly("empty-dir/", "keep.txt", "new/", "new/deep.txt");
        assertThat(Files.readString(ws.resolve("keep.txt"))).isEqualTo("upper");
        assertThat(Files.readString(ws.resolve("new/deep.txt"))).isEqualTo("new");
    }

    @Test
    void upperOnlyFilesAreSeenByEveryRead() {
        CapsuleFileSystem fs = discarding();
        fs.writeFile(b("only/up.txt"), b("12345"));
        assertThat(fs.fsExists(b("only/up.txt"))).isEqualTo(b("true"));
        assertThat(s(fs.fsStat(b("only/up.txt")))).startsWith("{\"size\":5,\"isDir\":false,\"mtime\":");
        assertThat(s(fs.fsReaddir(b("only")))).isEqualTo("[\"up.txt\"]");
        assertThat(s(fs.fsReaddir(b("")))).isEqualTo("[\"only\"]");
        assertThat(s(fs.readFile(b("only/up.txt")))).isEqualTo("12345");
    }

    @Test
    void readdirMergesBothLayersMinusWhiteouts() throws IOException {
        seed("dir/lower-a.txt", "");
        seed("dir/lower-b.txt", "");
        seed("dir/sub/x.txt", "");
        CapsuleFileSystem fs = discarding();
        fs.writeFile(b("dir/upper.txt"), b(""));
        fs.writeFile(b("dir/lower-b.txt"), b("shadowed"));
        fs.fsUnlink(b("dir/lower-a.txt"));
        assertThat(s(fs.fsReaddir(b("dir")))).isEqualTo("[\"lower-b.txt\",\"sub\",\"upper.txt\"]");
        assertThat(s(fs.fsReaddir(b("dir/sub")))).as("lower-only subdirectory").isEqualTo("[\"x.txt\"]");
    }

    @Test
    void theWorkspaceIsReadLive() throws IOException {
        CapsuleFileSystem fs = discarding();
        assertThat(fs.fsExists(b("later.txt"))).isEmpty();
        seed("later.txt", "arrived");
        assertThat(s(fs.readFile(b("later.txt")))).isEqualTo("arrived");
    }

    @Test
    void unlinkOfALowerFileHidesItAndLeavesTheWorkspaceAlone() throws IOException {
        seed("lower.txt", "still here");
        CapsuleFileSystem fs = discarding();
        fs.fsUnlink(b("lower.txt"));
        assertThat(fs.fsExists(b("lower.txt"))).isEmpty();
        assertThatThrownBy(() -> fs.readFile(b("lower.txt")))
                .isInstanceOf(HostException.class)
                .hasMessage("read_file failed: no such file or directory: lower.txt");
        assertThatThrownBy(() -> fs.fsUnlink(b("lower.txt"))).hasMessageContaining("no such file");
        assertThat(Files.readString(ws.resolve("lower.txt"))).isEqualTo("still here");
    }

    @Test
    void aWhiteoutHidesEverythingBelowIt() throws IOException {
        seed("d/a.txt", "a");
        CapsuleFileSystem fs = discarding();
        fs.fsUnlink(b("d/a.txt"));
        fs.fsUnlink(b("d"));
        assertThat(fs.fsExists(b("d"))).isEmpty();
        seed("d/appeared-later.txt", "hidden"); // someone else writes into the removed directory
        assertThat(fs.fsExists(b("d/appeared-later.txt"))).isEmpty();
        fs.fsMkdir(b("d"));
        assertThat(s(fs.fsReaddir(b("d")))).isEqualTo("[]");
    }

    @Test
    void discardIsTheDefaultAndRemovesTheLayer() throws IOException {
        seed("lower.txt", "lower");
        List<String> before = tree(ws);
        CapsuleFileSystem fs = discarding();
        fs.writeFile(b("new.txt"), b("new"));
        fs.writeFile(b("lower.txt"), b("changed"));
        fs.fsUnlink(b("lower.txt"));
        assertThat(tree(sessions("discarder"))).isNotEmpty();
        fs.close();
        assertThat(tree(ws)).isEqualTo(before);
        assertThat(Files.readString(ws.resolve("lower.txt"))).isEqualTo("lower");
        assertThat(tree(sessions("discarder"))).isEmpty();
    }

    @Test
    void commitRemovesTheLayerToo() throws IOException {
        CapsuleFileSystem fs = committing();
        fs.writeFile(b("a.txt"), b("a"));
        fs.close();
        assertThat(tree(sessions("committer"))).isEmpty();
    }

    @Test
    void commitAppliesWhiteoutsAsDeletions() throws IOException {
        seed("gone.txt", "x");
        seed("tree/leaf.txt", "y");
        seed("tree/keep.txt", "k");
        CapsuleFileSystem fs = committing();
        fs.fsUnlink(b("gone.txt"));
        fs.fsUnlink(b("tree/leaf.txt"));
        fs.close();
        assertThat(tree(ws)).containsExactly("tree/", "tree/keep.txt");
    }

    @Test
    void commitReplacesAFileByADirectory() throws IOException {
        seed("x", "was a file");
        CapsuleFileSystem fs = committing();
        fs.fsUnlink(b("x"));
        fs.writeFile(b("x/y.txt"), b("now a directory"));
        assertThat(s(fs.fsStat(b("x")))).contains("\"isDir\":true");
        fs.close();
        assertThat(ws.resolve("x")).isDirectory();
        assertThat(Files.readString(ws.resolve("x/y.txt"))).isEqualTo("now a directory");
    }

    @Test
    void commitReplacesADirectoryByAFile() throws IOException {
        seed("d/inner/a.txt", "a");
        CapsuleFileSystem fs = committing();
        fs.fsUnlink(b("d/inner/a.txt"));
        fs.fsUnlink(b("d/inner"));
        fs.fsUnlink(b("d"));
        fs.writeFile(b("d"), b("now a file"));
        assertThat(s(fs.readFile(b("d")))).isEqualTo("now a file");
        fs.close();
        assertThat(ws.resolve("d")).isRegularFile();
        assertThat(Files.readString(ws.resolve("d"))).isEqualTo("now a file");
    }

    @Test
    void commitOfARecreatedDirectoryDropsWhatTheCapsuleRemoved() throws IOException {
        seed("d/old.txt", "old");
        CapsuleFileSystem fs = committing();
        fs.fsUnlink(b("d/old.txt"));
        fs.fsUnlink(b("d"));
        fs.writeFile(b("d/new.txt"), b("new"));
        fs.close();
        assertThat(tree(ws)).containsExactly("d/", "d/new.txt");
    }

    @Test
    void commitNeverFollowsALinkSwappedIntoTheWorkspace() throws IOException {
        Path outside = Files.createDirectories(temp.resolve("outside"));
        seed("d/lower.txt", "l");
        CapsuleFileSystem fs = committing();
        fs.writeFile(b("d/new.txt"), b("new"));
        fs.fsUnlink(b("d/lower.txt"));
        // While the capsule runs, someone replaces the directory with a link to the outside.
        Files.delete(ws.resolve("d/lower.txt"));
        Files.delete(ws.resolve("d"));
        Files.writeString(outside.resolve("lower.txt"), "outside");
        Files.createSymbolicLink(ws.resolve("d"), outside);
        fs.close();
        assertThat(Files.isSymbolicLink(ws.resolve("d"))).isFalse();
        assertThat(tree(ws)).containsExactly("d/", "d/new.txt");
        assertThat(tree(outside)).containsExactly("lower.txt");
        assertThat(Files.readString(outside.resolve("lower.txt"))).isEqualTo("outside");
    }

    @Test
    void aFailedCommitKeepsTheChangesAndSaysWhere() throws IOException {
        CapsuleFileSystem fs = committing();
        fs.writeFile(b("sub/a.txt"), b("precious"));
        Files.delete(ws); // the workspace vanished before the unload
        assertThatThrownBy(fs::close)
                .isInstanceOf(HostException.class)
                .hasMessageContaining("fs overlay commit failed")
                .hasMessageContaining("kept in");
        assertThat(tree(sessions("committer"))).anyMatch(p -> p.endsWith("upper/sub/a.txt"));
        Files.createDirectories(ws); // let @TempDir clean up normally
    }

    @Test
    void capsulesDoNotSeeEachOthersLayers() {
        CapsuleFileSystem one = overlay("one", null);
        CapsuleFileSystem two = overlay("two", null);
        one.writeFile(b("mine.txt"), b("one"));
        assertThat(two.fsExists(b("mine.txt"))).isEmpty();
        two.writeFile(b("mine.txt"), b("two"));
        assertThat(s(one.readFile(b("mine.txt")))).isEqualTo("one");
    }

    @Test
    void twoLoadsOfOneCapsuleGetSeparateLayers() {
        CapsuleFileSystem first = overlay("same", null);
        CapsuleFileSystem second = overlay("same", null);
        first.writeFile(b("a.txt"), b("first"));
        assertThat(second.fsExists(b("a.txt"))).isEmpty();
    }

    @Test
    void theHomeRootIsNeverOverlaid() throws IOException {
        CapsuleFileSystem fs = discarding();
        fs.writeFile(b("home://direct.txt"), b("at once"));
        assertThat(Files.readString(temp.resolve("data/home/direct.txt"))).isEqualTo("at once");
        fs.close();
        assertThat(Files.readString(temp.resolve("data/home/direct.txt"))).isEqualTo("at once");
    }

    @Test
    void writesAndDeletionsThroughALowerLinkLandOnTheTarget() throws IOException {
        seed("real/a.txt", "a");
        Files.createSymbolicLink(ws.resolve("alias"), Path.of("real"));
        CapsuleFileSystem fs = committing();
        fs.writeFile(b("alias/b.txt"), b("b"));
        fs.fsUnlink(b("alias/a.txt"));
        assertThat(s(fs.fsReaddir(b("real")))).isEqualTo("[\"b.txt\"]");
        fs.close();
        assertThat(tree(ws)).containsExactly("alias", "real/", "real/b.txt");
    }

    @Test
    void unlinkOfALowerLinkHidesTheLinkOnly() throws IOException {
        seed("target.txt", "t");
        Files.createSymbolicLink(ws.resolve("alias.txt"), Path.of("target.txt"));
        CapsuleFileSystem fs = committing();
        fs.fsUnlink(b("alias.txt"));
        assertThat(fs.fsExists(b("alias.txt"))).isEmpty();
        assertThat(s(fs.readFile(b("target.txt")))).isEqualTo("t");
        fs.close();
        assertThat(tree(ws)).containsExactly("target.txt");
    }
}
