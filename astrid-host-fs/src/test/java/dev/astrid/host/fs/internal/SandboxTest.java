package dev.astrid.host.fs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.astrid.host.fs.GuestPath;
import dev.astrid.host.spi.HostException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Physical resolution on a real directory tree: links followed inside, refused when they lead out. */
class SandboxTest {
    @TempDir
    Path temp;

    private Path ws;
    private Path outside;
    private Mount mount;

    @BeforeEach
    void setUp() throws IOException {
        ws = Files.createDirectories(temp.resolve("workspace")).toRealPath();
        outside = Files.createDirectories(temp.resolve("outside")).toRealPath();
        Files.writeString(outside.resolve("secret.txt"), "secret");
        mount = new Mount(GuestPath.Root.WORKSPACE, new DirectLayer(ws, false), ws, List.of(ws));
    }

    private Rel resolve(String path) {
        return Sandbox.resolve(mount, GuestPath.parse(path.getBytes(StandardCharsets.UTF_8)), true);
    }

    private Path file(String rel, String content) throws IOException {
        Path p = ws.resolve(rel);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, content);
    }

    private Path link(String rel, String target) throws IOException {
        Path p = ws.resolve(rel);
        Files.createDirectories(p.getParent());
        return Files.createSymbolicLink(p, Path.of(target));
    }

    @Test
    void plainAndMissingPathsResolveToTheirNames() {
        assertThat(resolve("a/b/c.txt")).isEqualTo(Rel.of("a", "b", "c.txt"));
        assertThat(resolve("")).isEqualTo(Rel.ROOT);
        assertThat(resolve("/x/../y")).isEqualTo(Rel.of("y"));
    }

    @Test
    void aRelativeLinkInsideIsReplacedByItsTarget() throws IOException {
        file("real/docs/guide.md", "g");
        link("docs", "real/docs");
        assertThat(resolve("docs/guide.md")).isEqualTo(Rel.of("real", "docs", "guide.md"));
        assertThat(resolve("docs/missing/new.md")).isEqualTo(Rel.of("real", "docs", "missing", "new.md"));
    }

    @Test
    void linkTargetsWithDotDotStepBackFromTheResolvedDirectory() throws IOException {
        file("deep/file", "f");
        Files.createDirectories(ws.resolve("deep/er"));
        link("x", "deep/er");
        link("deep/er/up", "..");
        Rel rel = resolve("x/up/file");
        assertThat(rel).isEqualTo(Rel.of("deep", "file"));
        // the operating system agrees
        assertThat(ws.resolve("x/up/file").toRealPath()).isEqualTo(rel.in(ws));
    }

    @Test
    void chainsOfLinksAreFollowedAndALinkToTheRootIsTheRoot() throws IOException {
        file("c/d/end.txt", "e");
        link("a", "b");
        link("b", "c/d");
        link("self", ".");
        assertThat(resolve("a/end.txt")).isEqualTo(Rel.of("c", "d", "end.txt"));
        assertThat(resolve("self")).isEqualTo(Rel.ROOT);
        assertThat(resolve("self/self/a")).isEqualTo(Rel.of("c", "d"));
    }

    @Test
    void absoluteLinksIntoTheRootAreAcceptedUnderEitherSpelling() throws IOException {
        file("real/f.txt", "f");
        link("canon", ws.resolve("real").toString());
        assertThat(resolve("canon/f.txt")).isEqualTo(Rel.of("real", "f.txt"));

        Path alias = Files.createSymbolicLink(temp.resolve("alias"), ws);
        Mount viaAlias = new Mount(GuestPath.Root.WORKSPACE, new DirectLayer(ws, false), ws, List.of(ws, alias));
        link("spelled", alias.resolve("real").toString());
        assertThat(Sandbox.resolve(viaAlias, GuestPath.parse("spelled/f.txt".getBytes(StandardCharsets.UTF_8)), true))
                .isEqualTo(Rel.of("real", "f.txt"));
        assertThatThrownBy(() -> resolve("spelled/f.txt")).as("the alias is not a known spelling of this mount")
                .hasMessageContaining("escapes root boundary");
    }

    @Test
    void linksOutOfTheRootAreRefusedAtAnyDepth() throws IOException {
        link("l1", outside.toString());
        link("a/l2", "../../outside");
        link("a/b/c/l4", "../../../../outside");
        link("a/b/c/d/e/l6", "../../../../../../outside/secret.txt");
        for (String p : List.of("l1", "l1/secret.txt", "a/l2/secret.txt", "a/b/c/l4/secret.txt", "a/b/c/d/e/l6",
                "a/b/c/l4/new/deeper.txt")) {
            assertThatThrownBy(() -> resolve(p)).as(p)
                    .isInstanceOf(HostException.class)
                    .hasMessage("path escapes root boundary: " + p + " follows a symbolic link out of the workspace root");
        }
    }

    @Test
    void aDanglingLinkIsJudgedByWhereItPoints() throws IOException {
        link("out-dangling", outside.resolve("not-yet.txt").toString());
        link("in-dangling", "later/created.txt");
        assertThatThrownBy(() -> resolve("out-dangling")).hasMessageContaining("escapes root boundary");
        assertThat(resolve("in-dangling")).isEqualTo(Rel.of("later", "created.txt"));
    }

    @Test
    void leavingTheRootEvenForAMomentIsRefused() throws IOException {
        file("real/f.txt", "f");
        link("detour", "../workspace/real"); // out of the root and back in
        assertThatThrownBy(() -> resolve("detour/f.txt")).hasMessageContaining("escapes root boundary");
    }

    @Test
    void linkLoopsEndWithAClearError() throws IOException {
        link("ping", "pong");
        link("pong", "ping");
        link("self-loop", "self-loop/x");
        assertThatThrownBy(() -> resolve("ping/x"))
                .isInstanceOf(HostException.class).hasMessage("too many levels of symbolic links: ping/x");
        assertThatThrownBy(() -> resolve("self-loop")).hasMessageContaining("too many levels of symbolic links");
    }

    @Test
    void theFinalLinkCanBeLeftAlone() throws IOException {
        link("dir-link", outside.toString());
        Rel rel = Sandbox.resolve(mount, GuestPath.parse("dir-link".getBytes(StandardCharsets.UTF_8)), false);
        assertThat(rel).isEqualTo(Rel.of("dir-link"));
    }

    @Test
    void aLinkSwappedInAfterAResolutionIsRefusedByTheNextOne() throws IOException {
        file("box/a.txt", "inside");
        assertThat(resolve("box/a.txt")).isEqualTo(Rel.of("box", "a.txt"));
        Files.delete(ws.resolve("box/a.txt"));
        Files.delete(ws.resolve("box"));
        link("box", outside.toString());
        assertThatThrownBy(() -> resolve("box/a.txt")).hasMessageContaining("escapes root boundary");
    }

    @Test
    void aFinalLinkSwappedInBetweenResolutionAndUseIsNotFollowed() throws IOException {
        DirectLayer layer = new DirectLayer(ws, false);
        file("note.txt", "inside");
        Rel rel = resolve("note.txt");
        // The race: the checked file becomes a link to the outside before the layer opens it.
        Files.delete(ws.resolve("note.txt"));
        link("note.txt", outside.resolve("secret.txt").toString());
        assertThatThrownBy(() -> layer.read(rel, 1024)).isInstanceOf(IOException.class);
        // A write replaces the link itself; the outside file keeps its content.
        layer.write(rel, "mine".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.isSymbolicLink(ws.resolve("note.txt"))).isFalse();
        assertThat(Files.readString(ws.resolve("note.txt"))).isEqualTo("mine");
        assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo("secret");
    }

    @Test
    void aDirectorySwappedForAnAbsoluteLinkBetweenResolutionAndUseIsNotFollowed() throws IOException {
        swappedBetweenResolutionAndUse(outside.toString());
    }

    @Test
    void aDirectorySwappedForARelativeLinkBetweenResolutionAndUseIsNotFollowed() throws IOException {
        swappedBetweenResolutionAndUse("../outside");
    }

    // The race the sandbox alone cannot close: a directory in the middle of a checked path becomes a
    // link out before the layer uses the path. Every look-up walks the names again without following.
    private void swappedBetweenResolutionAndUse(String target) throws IOException {
        DirectLayer layer = new DirectLayer(ws, false);
        file("box/sub/a.txt", "inside");
        Files.createDirectories(outside.resolve("sub"));
        Files.writeString(outside.resolve("sub/a.txt"), "outside");
        Rel rel = resolve("box/sub/a.txt");
        Rel sub = resolve("box/sub");
        Files.delete(ws.resolve("box/sub/a.txt"));
        Files.delete(ws.resolve("box/sub"));
        Files.delete(ws.resolve("box"));
        link("box", target);
        assertThatThrownBy(() -> layer.read(rel, 1024)).isInstanceOf(LinkInPath.class)
                .hasMessage("a directory on the path was replaced by a symbolic link");
        assertThatThrownBy(() -> layer.lstat(rel)).isInstanceOf(LinkInPath.class);
        assertThatThrownBy(() -> layer.list(sub)).isInstanceOf(LinkInPath.class);
        assertThatThrownBy(() -> layer.write(rel, "pwned".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> layer.mkdirs(sub.child("made"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> layer.delete(rel)).isInstanceOf(IOException.class);
        assertThat(Files.readString(outside.resolve("sub/a.txt"))).isEqualTo("outside");
        assertThat(outside.resolve("sub/made")).doesNotExist();
        assertThat(layer.lstat(Rel.of("box")).orElseThrow().kind()).as("the link itself is still seen").isEqualTo(Attrs.Kind.LINK);
    }
}
