package dev.astrid.host.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.StandaloneContext;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.sys.abi.FsFunctions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fs family used on its own, in-process, through the SPI's standalone context: no reference host. */
class StandaloneFsTest {
    @TempDir
    Path temp;

    @Test
    void aStandaloneContextBindsTheFsProviderOnARealWorkspace() throws IOException {
        Path workspace = Files.createDirectories(temp.resolve("project"));
        Files.writeString(workspace.resolve("in.txt"), "from disk");
        Files.createDirectories(workspace.resolve("out"));
        CapsuleContext ctx = StandaloneContext.builder()
                .capsuleId("tool")
                .dataDir(temp.resolve("state"))
                .workspace(workspace)
                .capabilities(Capabilities.builder().fsRead("*").fsWrite("workspace://out").build())
                .settings(Map.of("fs.mode", "direct"))
                .build();
        FsProvider provider = new FsProvider();
        FsFunctions fs = provider.bind(ctx);
        try {
            assertThat(new String(fs.readFile(b("in.txt")), StandardCharsets.UTF_8)).isEqualTo("from disk");
            fs.writeFile(b("out/result.txt"), b("written"));
            assertThat(workspace.resolve("out/result.txt")).hasContent("written");
            assertThatThrownBy(() -> fs.writeFile(b("in.txt"), b("x"))).isInstanceOf(HostException.class)
                    .hasMessageContaining("fs_write capability");
            assertThatThrownBy(() -> fs.readFile(b("../outside"))).isInstanceOf(HostException.class);
            assertThat(workspace.resolve("in.txt")).hasContent("from disk");
        } finally {
            ((CapsuleFileSystem) fs).close();
            provider.close();
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
