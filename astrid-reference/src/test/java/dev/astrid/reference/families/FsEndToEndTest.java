package dev.astrid.reference.families;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.reference.AbiDriver;
import dev.astrid.reference.AstridHost;
import dev.astrid.reference.Guests;
import dev.astrid.reference.LoadedCapsule;
import dev.astrid.reference.TestHosts;
import dev.astrid.sys.abi.AbiFunction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The seven file functions called by a real guest through the kernel, in both file-system modes. */
class FsEndToEndTest {
    @TempDir
    Path dir;

    private static final CapsuleManifest FILES = CapsuleManifest.bare("files")
            .withCapabilities(Capabilities.builder().fsRead("*").fsWrite("*").build());

    private LoadedCapsule load(AstridHost host, CapsuleManifest m) throws Exception {
        return host.load(m, Guests.bytes("abi-driver"), Optional.of(Files.createDirectories(dir.resolve("capsule"))));
    }

    private static String trap(Runnable r) {
        return catchThrowableOfType(GuestCallException.class, r::run).getMessage();
    }

    @ParameterizedTest(name = "fs.mode={0}")
    @ValueSource(strings = {"direct", "overlay"})
    void allSevenFunctionsWithExactBytes(String mode) throws Exception {
        Path ws = dir.resolve("ws");
        var config = TestHosts.config(dir, false).setting("fs.mode", mode);
        Files.writeString(ws.resolve("existing.txt"), "from the workspace");
        try (AstridHost host = AstridHost.start(config.build())) {
            AbiDriver d = new AbiDriver(load(host, FILES));
            assertThat(d.text(AbiFunction.FS_EXISTS, "existing.txt")).isEqualTo("true");
            assertThat(d.text(AbiFunction.FS_EXISTS, "nope.txt")).isEmpty();
            assertThat(d.text(AbiFunction.READ_FILE, "/existing.txt")).isEqualTo("from the workspace");

            byte[] binary = new byte[70_000];
            for (int i = 0; i < binary.length; i++) {
                binary[i] = (byte) (i % 251);
            }
            d.call(AbiFunction.FS_MKDIR, "notes/deep".getBytes());
            d.call(AbiFunction.WRITE_FILE, "notes/deep/data.bin".getBytes(), binary);
            assertThat(d.call(AbiFunction.READ_FILE, "notes/deep/data.bin".getBytes())).isEqualTo(binary);
            d.text(AbiFunction.WRITE_FILE, "notes/a.txt", "hello");
            assertThat(d.text(AbiFunction.FS_READDIR, "notes")).isEqualTo("[\"a.txt\",\"deep\"]");
            assertThat(d.text(AbiFunction.FS_STAT, "notes/a.txt")).matches("\\{\"size\":5,\"isDir\":false,\"mtime\":\\d+}");
            assertThat(d.text(AbiFunction.FS_STAT, "notes")).contains("\"isDir\":true");
            d.text(AbiFunction.FS_UNLINK, "notes/a.txt");
            assertThat(d.text(AbiFunction.FS_EXISTS, "notes/a.txt")).isEmpty();
            d.text(AbiFunction.FS_UNLINK, "existing.txt");
            assertThat(d.text(AbiFunction.FS_EXISTS, "existing.txt")).isEmpty();

            boolean direct = mode.equals("direct");
            assertThat(Files.exists(ws.resolve("notes/deep/data.bin"))).as("written to the workspace").isEqualTo(direct);
            assertThat(Files.exists(ws.resolve("existing.txt"))).as("workspace file still there").isEqualTo(!direct);
        }
        assertThat(Files.exists(ws.resolve("notes"))).as("overlay discarded at unload").isEqualTo(mode.equals("direct"));
    }

    @Test
    void escapesAndMissingCapabilitiesTrapWithTheFunctionName() throws Exception {
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            AbiDriver d = new AbiDriver(load(host, FILES));
            assertThat(trap(() -> d.text(AbiFunction.READ_FILE, "../../../../../../etc/passwd")))
                    .startsWith("astrid_read_file: path escapes root boundary");
            assertThat(trap(() -> d.text(AbiFunction.READ_FILE, "missing.txt"))).startsWith("astrid_read_file: ");
            assertThat(trap(() -> d.call(AbiFunction.FS_EXISTS, new byte[] {'a', 0, 'b'}))).startsWith("astrid_fs_exists: ");
            assertThat(trap(() -> d.call(AbiFunction.FS_STAT, new byte[4097])))
                    .isEqualTo("astrid_fs_stat: memory allocation of 4097 bytes exceeds maximum allowed limit of 4096 bytes");
        }
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            AbiDriver none = new AbiDriver(host.load(CapsuleManifest.bare("nocaps"), Guests.bytes("abi-driver"),
                    Optional.of(Files.createDirectories(dir.resolve("nocaps")))));
            assertThat(trap(() -> none.text(AbiFunction.WRITE_FILE, "x.txt", "y"))).startsWith("astrid_write_file: security denied");
            assertThat(Files.exists(dir.resolve("ws/x.txt"))).isFalse();
        }
    }

    @ParameterizedTest(name = "link {0}")
    @ValueSource(strings = {"absolute", "relative"})
    void anOverlayDirectorySwappedForALinkOutShowsNothingOfTheOutside(String kind) throws Exception {
        Path ws = dir.resolve("ws");
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Files.writeString(etc.resolve("passwd"), "root:x:0:0");
        Files.createDirectories(etc.resolve("ssl"));
        Files.writeString(etc.resolve("ssl/key.pem"), "private");
        Files.createDirectories(ws.resolve("real"));
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).setting("fs.mode", "overlay").build())) {
            AbiDriver d = new AbiDriver(load(host, FILES));
            d.text(AbiFunction.WRITE_FILE, "real/new.txt", "mine");
            // Another process replaces the workspace directory the overlay now holds by a link out.
            Files.delete(ws.resolve("real"));
            Files.createSymbolicLink(ws.resolve("real"), kind.equals("absolute") ? etc : Path.of("../etc"));

            assertThat(trap(() -> d.text(AbiFunction.READ_FILE, "real/passwd")))
                    .isEqualTo("astrid_read_file: read_file failed: no such file or directory: real/passwd");
            assertThat(d.text(AbiFunction.FS_EXISTS, "real/passwd")).isEmpty();
            assertThat(trap(() -> d.text(AbiFunction.FS_STAT, "real/passwd"))).startsWith("astrid_fs_stat: stat failed");
            assertThat(d.text(AbiFunction.FS_READDIR, "real")).isEqualTo("[\"new.txt\"]");
            assertThat(trap(() -> d.text(AbiFunction.FS_READDIR, "real/ssl"))).startsWith("astrid_fs_readdir: readdir failed");
            assertThat(trap(() -> d.text(AbiFunction.READ_FILE, "real/ssl/key.pem"))).startsWith("astrid_read_file: ");
            assertThat(d.text(AbiFunction.READ_FILE, "real/new.txt")).isEqualTo("mine");
        }
        assertThat(Files.readString(etc.resolve("passwd"))).isEqualTo("root:x:0:0");
    }

    @ParameterizedTest(name = "fs.mode={0}")
    @ValueSource(strings = {"direct", "overlay"})
    void theDataDirectoryStaysHiddenInAHomeRootThatHoldsIt(String mode) throws Exception {
        // fs.home-root names a directory that holds both the workspace (dir/ws) and the data directory (dir/data).
        var config = TestHosts.config(dir, false).setting("fs.mode", mode).setting("fs.home-root", dir.toString());
        try (AstridHost host = AstridHost.start(config.build())) {
            CapsuleManifest everywhere = CapsuleManifest.bare("everywhere")
                    .withCapabilities(Capabilities.builder().fsRead("*", "global://").fsWrite("*", "home://").build());
            AbiDriver d = new AbiDriver(load(host, everywhere));
            assertThat(dir.resolve("data/kv.db")).as("the host keeps its state there").exists();
            assertThat(trap(() -> d.text(AbiFunction.READ_FILE, "global://data/kv.db")))
                    .isEqualTo("astrid_read_file: path reaches the host data directory: global://data/kv.db");
            assertThat(trap(() -> d.text(AbiFunction.FS_EXISTS, "home://data/secrets.db")))
                    .isEqualTo("astrid_fs_exists: path reaches the host data directory: home://data/secrets.db");
            assertThat(trap(() -> d.text(AbiFunction.FS_READDIR, "global://data/capsules")))
                    .startsWith("astrid_fs_readdir: path reaches the host data directory");
            assertThat(trap(() -> d.text(AbiFunction.WRITE_FILE, "home://ws/../data/kv.db", "broken")))
                    .startsWith("astrid_write_file: path reaches the host data directory");
            assertThat(d.text(AbiFunction.FS_READDIR, "global://")).doesNotContain("data").contains("\"ws\"");
        }
    }

    @Test
    void overlayChangesAreCommittedOnUnloadWhenConfigured() throws Exception {
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).setting("fs.overlay.on-unload", "commit").build())) {
            AbiDriver d = new AbiDriver(load(host, FILES));
            d.text(AbiFunction.WRITE_FILE, "kept.txt", "committed");
            assertThat(Files.exists(dir.resolve("ws/kept.txt"))).isFalse();
        }
        assertThat(Files.readString(dir.resolve("ws/kept.txt"))).isEqualTo("committed");
    }
}
