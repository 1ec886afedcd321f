package dev.astrid.host.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.astrid.host.spi.manifest.Capabilities;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone context's defaults, layout and refusals. */
class StandaloneContextTest {
    @TempDir
    Path temp;

    @Test
    void defaultsMatchTheReferenceHostLayout() {
        StandaloneContext ctx = StandaloneContext.builder().capsuleId("tool").dataDir(temp.resolve("data")).build();
        assertThat(ctx.capsuleId()).isEqualTo("tool");
        assertThat(ctx.stateNamespace()).isEqualTo("capsule:tool");
        assertThat(ctx.capsuleDataDir()).isEqualTo(temp.resolve("data/capsules/tool")).isDirectory();
        assertThat(ctx.workspace()).isEqualTo(temp.resolve("data/workspace")).isDirectory();
        assertThat(ctx.capabilities()).isSameAs(Capabilities.NONE);
        assertThat(ctx.config()).isEmpty();
        assertThat(ctx.settings().get("fs.mode")).isEmpty();
        assertThat(ctx.uplinkConsumer()).isSameAs(UplinkConsumer.NONE);
        assertThat(ctx.currentInvocation()).isEqualTo(Invocation.NONE);
    }

    @Test
    void itIsAloneOnItsHostAndHasNoExports() {
        StandaloneContext ctx = StandaloneContext.builder().capsuleId("tool").dataDir(temp).build();
        assertThat(ctx.capsules().all()).containsExactly(ctx.self());
        assertThat(ctx.capsules().byId("tool")).contains(ctx.self());
        assertThat(ctx.capsules().byId("other")).isEmpty();
        assertThat(ctx.capsules().bySession(ctx.sessionId())).contains(ctx.self());
        assertThat(ctx.self().hasExport("run")).isFalse();
        assertThatThrownBy(() -> ctx.self().call("run", new byte[0], Invocation.Caller.NONE, java.time.Duration.ofSeconds(1)))
                .isInstanceOf(GuestCallException.class)
                .satisfies(e -> assertThat(((GuestCallException) e).kind()).isEqualTo(GuestCallException.Kind.NO_SUCH_EXPORT));
        assertThat(ctx.isReady()).isFalse();
        ctx.markReady();
        assertThat(ctx.self().isReady()).isTrue();
    }

    @Test
    void everyPartCanBeChosen() {
        Capabilities caps = Capabilities.builder().fsRead("*").build();
        StandaloneContext ctx = StandaloneContext.builder().capsuleId("tool").dataDir(temp.resolve("d"))
                .workspace(temp.resolve("w")).capabilities(caps).settings(Map.of("fs.mode", "direct"))
                .config(Map.of("greeting", "hi")).stateNamespace("module:" + "ab".repeat(32)).build();
        assertThat(ctx.capabilities()).isSameAs(caps);
        assertThat(ctx.workspace()).isEqualTo(temp.resolve("w")).isDirectory();
        assertThat(ctx.settings().get("fs.mode")).contains("direct");
        assertThat(ctx.config()).containsEntry("greeting", "hi");
        assertThat(ctx.capsuleDataDir()).isEqualTo(temp.resolve("d/modules/" + "ab".repeat(32)));
    }

    @Test
    void missingOrUnsafePartsAreRefused() {
        assertThatThrownBy(() -> StandaloneContext.builder().dataDir(temp).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("capsuleId");
        assertThatThrownBy(() -> StandaloneContext.builder().capsuleId("tool").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("dataDir");
        for (String id : new String[] {"", "..", "a/b", "a\\b"}) {
            assertThatThrownBy(() -> StandaloneContext.builder().capsuleId(id).dataDir(temp).build())
                    .as(id).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one path segment");
        }
        for (String ns : new String[] {"tool", "user:x", "capsule:", "capsule:../x"}) {
            assertThatThrownBy(() -> StandaloneContext.builder().stateNamespace(ns))
                    .as(ns).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stateNamespace");
        }
        assertThat(Files.exists(temp.resolve("capsules"))).as("nothing created by a refused build").isFalse();
    }
}
