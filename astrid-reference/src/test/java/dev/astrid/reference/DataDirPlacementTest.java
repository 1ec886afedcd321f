package dev.astrid.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the host keeps its state: outside the workspace by default, and never inside it. */
class DataDirPlacementTest {
    @TempDir
    Path dir;

    private HostConfig.Builder config(Path data, Path ws) {
        return HostConfig.builder().dataDir(data).workspace(ws).discoverProviders(false);
    }

    @Test
    void theDefaultFollowsXdgStateHome() {
        assertThat(HostConfig.defaultDataDir("/var/state", "/home/ada")).isEqualTo(Path.of("/var/state/astrid"));
        assertThat(HostConfig.defaultDataDir(null, "/home/ada")).isEqualTo(Path.of("/home/ada/.local/state/astrid"));
        assertThat(HostConfig.defaultDataDir("", "/home/ada")).isEqualTo(Path.of("/home/ada/.local/state/astrid"));
        assertThat(HostConfig.defaultDataDir("relative/state", "/home/ada"))
                .as("a relative XDG_STATE_HOME is invalid and ignored").isEqualTo(Path.of("/home/ada/.local/state/astrid"));
    }

    @Test
    void theBuilderUsesTheDefault() {
        assertThat(HostConfig.builder().build().dataDir())
                .isEqualTo(HostConfig.defaultDataDir().toAbsolutePath().normalize())
                .isNotEqualTo(Path.of(".astrid").toAbsolutePath());
    }

    @Test
    void aDataDirectoryInsideTheWorkspaceIsRefusedAtStart() throws Exception {
        Path ws = Files.createDirectories(dir.resolve("ws"));
        Path data = ws.resolve(".astrid");
        assertThatThrownBy(() -> AstridHost.start(config(data, ws).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the data directory " + data + " lies inside the workspace " + ws)
                .hasMessageContaining("HostConfig.Builder.dataDir")
                .hasMessageNotContaining("--data-dir");
        assertThat(data).as("nothing was created").doesNotExist();
        assertThatThrownBy(() -> AstridHost.start(config(ws, ws).build())).as("the workspace itself")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lies inside the workspace");
        assertThatThrownBy(() -> AstridHost.start(config(ws.resolve("a/../b/state"), ws).build())).as("a lexical detour")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lies inside the workspace");
    }

    @Test
    void linksDoNotHideTheOverlap() throws Exception {
        Path ws = Files.createDirectories(dir.resolve("ws"));
        Path wsAlias = Files.createSymbolicLink(dir.resolve("ws-alias"), ws);
        assertThatThrownBy(() -> AstridHost.start(config(ws.resolve("state"), wsAlias).build()))
                .as("the workspace named through a link")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lies inside the workspace " + wsAlias + " (really " + ws.toRealPath() + ")");
        Path inside = Files.createDirectories(ws.resolve("hidden/state"));
        Path dataAlias = Files.createSymbolicLink(dir.resolve("state-alias"), inside);
        assertThatThrownBy(() -> AstridHost.start(config(dataAlias, ws).build()))
                .as("the data directory named through a link")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the data directory " + dataAlias + " (really " + inside.toRealPath() + ")");
    }

    @Test
    void aDataDirectoryBesideTheWorkspaceStarts() throws Exception {
        Path ws = Files.createDirectories(dir.resolve("ws"));
        // "ws-state" shares the workspace's name as a prefix but is not inside it
        try (AstridHost host = AstridHost.start(config(dir.resolve("ws-state"), ws).build())) {
            assertThat(host.config().dataDir()).isEqualTo(dir.resolve("ws-state"));
        }
        try (AstridHost host = AstridHost.start(config(dir.resolve("state"), dir.resolve("ws/sub")).build())) {
            assertThat(host.config().workspace()).isEqualTo(dir.resolve("ws/sub"));
        }
    }

    @Test
    void aWorkspaceInsideTheDataDirectoryIsRefusedAtStart() throws Exception {
        Path data = Files.createDirectories(dir.resolve("state"));
        Path ws = Files.createDirectories(data.resolve("capsules"));
        assertThatThrownBy(() -> AstridHost.start(config(data, ws).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the workspace " + ws + " lies inside the data directory " + data)
                .hasMessageContaining("HostConfig.Builder.dataDir")
                .hasMessageNotContaining("--data-dir");
    }

    @Test
    void theDefaultDataDirectoryMayLieInAHomeDirectoryServedAsTheWorkspace() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path defaultData = home.resolve(".local/state/astrid");
        DataDirPlacement.requireApart(defaultData, home, defaultData);
        assertThatThrownBy(() -> DataDirPlacement.requireApart(home.resolve("state"), home, defaultData))
                .as("a data directory someone chose there")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lies inside the workspace");
        assertThatThrownBy(() -> DataDirPlacement.requireApart(defaultData, defaultData, defaultData))
                .as("the default data directory served as the workspace")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lies inside the data directory");
    }

    @Test
    void aNewDataDirectoryIsReadableByItsOwnerOnly() throws Exception {
        Path data = dir.resolve("state/astrid");
        try (AstridHost host = AstridHost.start(config(data, Files.createDirectories(dir.resolve("ws"))).build())) {
            assertThat(java.nio.file.Files.getPosixFilePermissions(host.config().dataDir()))
                    .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        }
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        assertThatThrownBy(() -> AstridHost.start(config(file, dir.resolve("ws")).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a directory");
    }
}
