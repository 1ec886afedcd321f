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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host data directory behind the settings only this provider has: a home root that holds it,
 * a root that is it, and a data directory named through a link. (The workspace case is in the
 * contract, {@code FsProviderContract}.)
 */
class DataDirFenceTest {
    private static final Capabilities EVERYWHERE =
            Capabilities.builder().fsRead("*", "global://").fsWrite("*", "home://").build();

    @TempDir
    Path temp;

    private final List<CapsuleFileSystem> open = new ArrayList<>();

    @AfterEach
    void tearDown() {
        open.forEach(CapsuleFileSystem::close);
    }

    private CapsuleFileSystem bind(TestCapsule.Host host, String mode, Map<String, String> more) {
        ProviderSettings s = ProviderSettings.of(Map.of(FsSettings.MODE, mode));
        for (Map.Entry<String, String> e : more.entrySet()) {
            s = s.with(e.getKey(), e.getValue());
        }
        CapsuleFileSystem fs = new FsProvider().bind(host.capsule("fenced-" + open.size()).capabilities(EVERYWHERE)
                .settings(s).build());
        open.add(fs);
        return fs;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void everyFunctionRefuses(CapsuleFileSystem fs, String path) {
        List<Consumer<byte[]>> calls = List.of(fs::fsExists, fs::fsMkdir, fs::fsReaddir, fs::fsStat, fs::fsUnlink,
                fs::readFile, p -> fs.writeFile(p, b("x")));
        for (Consumer<byte[]> call : calls) {
            assertThatThrownBy(() -> call.accept(b(path))).as(path)
                    .isInstanceOf(HostException.class)
                    .hasMessage("path reaches the host data directory: " + path);
        }
    }

    @Test
    void aHomeRootThatHoldsTheDataDirectoryDoesNotShowItDirect() throws IOException {
        homeRootHoldingTheDataDirectory("direct");
    }

    @Test
    void aHomeRootThatHoldsTheDataDirectoryDoesNotShowItOverlay() throws IOException {
        homeRootHoldingTheDataDirectory("overlay");
    }

    // e.g. fs.home-root=/home/me with the data directory in /home/me/.local/state/astrid
    private void homeRootHoldingTheDataDirectory(String mode) throws IOException {
        Path home = temp.resolve("me");
        TestCapsule.Host host = new TestCapsule.Host(home.resolve(".local/state/astrid"), temp.resolve("ws"));
        Path secrets = Files.writeString(host.dataDir().resolve("secrets.db"), "plain secrets");
        Files.writeString(Files.createDirectories(home.resolve("notes")).resolve("n.txt"), "note");
        Files.createSymbolicLink(home.resolve("shortcut"), Path.of(".local/state"));
        CapsuleFileSystem fs = bind(host, mode, Map.of(FsSettings.HOME_ROOT, home.toString()));
        for (String p : List.of("global://.local/state/astrid", "global://.local/state/astrid/secrets.db",
                "home://.local/state/astrid/capsules", "global://shortcut/astrid/secrets.db",
                "home://notes/../.local/state/astrid/new.txt")) {
            everyFunctionRefuses(fs, p);
        }
        assertThat(s(fs.fsReaddir(b("global://.local/state")))).isEqualTo("[]");
        assertThat(s(fs.fsReaddir(b("global://shortcut")))).isEqualTo("[]");
        assertThat(s(fs.readFile(b("global://notes/n.txt")))).isEqualTo("note");
        fs.writeFile(b("home://.local/state/other-app.txt"), b("fine"));
        assertThat(Files.readString(home.resolve(".local/state/other-app.txt"))).isEqualTo("fine");
        assertThat(Files.readString(secrets)).isEqualTo("plain secrets");
        assertThat(host.dataDir().resolve("new.txt")).doesNotExist();
    }

    @Test
    void aDataDirectoryNamedThroughALinkIsFencedByItsRealPath() throws IOException {
        Path ws = Files.createDirectories(temp.resolve("ws"));
        Path real = Files.createDirectories(ws.resolve("state"));
        Path alias = Files.createSymbolicLink(temp.resolve("alias"), real);
        Files.writeString(real.resolve("kv.db"), "values");
        TestCapsule.Host host = new TestCapsule.Host(alias, ws);
        for (String mode : List.of("direct", "overlay")) {
            CapsuleFileSystem fs = bind(host, mode, Map.of());
            everyFunctionRefuses(fs, "state/kv.db");
            assertThat(s(fs.fsReaddir(new byte[0]))).as(mode).isEqualTo("[]");
        }
    }

    @Test
    void theDefaultHomeRootInsideTheDataDirectoryKeepsWorking() throws IOException {
        TestCapsule.Host host = new TestCapsule.Host(temp);
        for (String mode : List.of("direct", "overlay")) {
            CapsuleFileSystem fs = bind(host, mode, Map.of());
            fs.writeFile(b("home://" + mode + ".txt"), b(mode));
            assertThat(s(fs.readFile(b("global://" + mode + ".txt")))).isEqualTo(mode);
            assertThat(Files.readString(host.dataDir().resolve("home").resolve(mode + ".txt"))).isEqualTo(mode);
        }
    }

    @Test
    void aRootThatIsTheDataDirectoryFailsTheBind() {
        TestCapsule.Host host = new TestCapsule.Host(temp);
        assertThatThrownBy(() -> bind(host, "direct", Map.of(FsSettings.HOME_ROOT, ".")))
                .isInstanceOf(HostException.class)
                .hasMessageStartingWith("home root is the host data directory");
        Path same = temp.resolve("same");
        TestCapsule.Host shared = new TestCapsule.Host(same, same);
        assertThatThrownBy(() -> bind(shared, "overlay", Map.of()))
                .isInstanceOf(HostException.class)
                .hasMessageStartingWith("workspace is the host data directory");
        Path data = temp.resolve("data-around");
        TestCapsule.Host around = new TestCapsule.Host(data, data.resolve("capsules"));
        assertThatThrownBy(() -> bind(around, "direct", Map.of())).as("a workspace that would show every capsule's state")
                .isInstanceOf(HostException.class)
                .hasMessageStartingWith("workspace lies inside the host data directory");
    }
}
