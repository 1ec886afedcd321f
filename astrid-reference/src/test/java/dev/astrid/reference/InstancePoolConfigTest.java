package dev.astrid.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a host sizes each capsule's instance pool (the pool itself is tested with real guests in the
 * engine's {@code GuestPoolTest}): 1 unless configured, per capsule if named, within 1..64.
 */
class InstancePoolConfigTest {
    @TempDir
    Path dir;

    @Test
    void poolsAreOneByDefaultAndSizedPerHostOrPerCapsule() {
        HostConfig cfg = TestHosts.config(dir, false).instancePool(2).instancePool("wide", 5).build();
        assertThat(HostConfig.builder().build().instancePool("any")).isEqualTo(1);
        assertThat(cfg.instancePool("other")).isEqualTo(2);
        assertThat(cfg.instancePool("wide")).isEqualTo(5);
        try (AstridHost h = AstridHost.start(cfg)) {
            byte[] wasm = Guests.bytes("kernel-probe");
            LoadedCapsule wide = h.load(CapsuleManifest.bare("wide"), wasm, Optional.empty());
            LoadedCapsule other = h.load(CapsuleManifest.bare("other"), wasm, Optional.empty());
            assertThat(wide.instancePool()).isEqualTo(5);
            assertThat(other.instancePool()).isEqualTo(2);
            // One instance at load; the others only when concurrent calls need them.
            assertThat(wide.instances()).isEqualTo(1);
            byte[] out = wide.call("echo", "hi".getBytes(StandardCharsets.UTF_8), Invocation.Caller.NONE, Duration.ofSeconds(10));
            assertThat(out).asString().isEqualTo("hi");
            assertThat(wide.instances()).isEqualTo(1);
            wide.unload();
            assertThatThrownBy(() -> wide.call("echo", new byte[0], Invocation.Caller.NONE, Duration.ofSeconds(10)))
                    .isInstanceOfSatisfying(GuestCallException.class,
                            e -> assertThat(e.kind()).isEqualTo(GuestCallException.Kind.UNLOADED));
        }
    }

    @Test
    void aPoolSizeOutsideOneToSixtyFourIsRefused() {
        assertThatThrownBy(() -> HostConfig.builder().instancePool(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1..64");
        assertThatThrownBy(() -> HostConfig.builder().instancePool("x", 65)).isInstanceOf(IllegalArgumentException.class);
    }
}
