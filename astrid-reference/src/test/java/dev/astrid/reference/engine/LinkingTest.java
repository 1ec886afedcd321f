package dev.astrid.reference.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.reference.AstridHost;
import dev.astrid.reference.Guests;
import dev.astrid.reference.LoadedCapsule;
import dev.astrid.reference.TestHosts;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a module may import, WASI modules of both kinds, and modules that are not wasm at all. */
class LinkingTest {
    @TempDir
    Path dir;

    @Test
    void unknownImportsAreAllListedInOneMessage() {
        try (AstridHost h = AstridHost.start(TestHosts.config(dir, false).build())) {
            assertThatThrownBy(() -> TestHosts.loadBare(h, "bad-imports"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("bad-imports cannot be linked")
                    .hasMessageContaining("env.foo")
                    .hasMessageContaining("extism:host/user.astrid_does_not_exist")
                    .hasMessageContaining("extism:host/env.not_a_kernel_function");
            assertThat(h.capsules()).isEmpty();
        }
    }

    @Test
    void aCatalogImportWithTheWrongTypeIsRefused() {
        try (AstridHost h = AstridHost.start(TestHosts.config(dir, false).build())) {
            assertThatThrownBy(() -> TestHosts.loadBare(h, "wrong-signature"))
                    .hasMessageContaining("astrid_kv_get is imported as")
                    .hasMessageContaining("but the ABI declares (i64) -> i64");
        }
    }

    @Test
    void bytesThatAreNotWasmAreRefusedClearly() {
        try (AstridHost h = AstridHost.start(TestHosts.config(dir, false).build())) {
            assertThatThrownBy(() -> h.load(CapsuleManifest.bare("junk"), "not wasm".getBytes(), Optional.empty()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("junk is not a valid WebAssembly module");
        }
    }

    @Test
    void aWasiReactorNeedsWasiAndIsInitializedOnce() {
        try (AstridHost h = AstridHost.start(TestHosts.config(dir, false).build())) {
            assertThatThrownBy(() -> TestHosts.loadBare(h, "wasi-reactor")).hasMessageContaining("give bare modules WASI with HostConfig.Builder.wasi(true)");
        }
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        for (boolean interpreter : new boolean[] {false, true}) {
            try (AstridHost h = AstridHost.start(TestHosts.config(dir, interpreter).wasi(true).wasiOutput(stdout).build())) {
                LoadedCapsule c = TestHosts.loadBare(h, "wasi-reactor");
                assertThat(c.call("hello", new byte[0], Invocation.Caller.NONE, Duration.ofSeconds(10))).asString().isEqualTo("init=1");
                assertThat(c.call("hello", new byte[0], Invocation.Caller.NONE, Duration.ofSeconds(10))).asString().isEqualTo("init=1");
            }
        }
        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEqualTo("hello from wasi\n".repeat(4));
    }

    @Test
    void aWasiCommandModuleRunsStartAtLoad() {
        try (AstridHost h = AstridHost.start(TestHosts.config(dir, false).wasi(true).build())) {
            LoadedCapsule c = h.load(CapsuleManifest.bare("cmd"), Guests.bytes("wasi-command"), Optional.empty());
            assertThat(c.call("started", new byte[0], Invocation.Caller.NONE, Duration.ofSeconds(10))).asString().isEqualTo("1");
        }
    }

    @Test
    void anInitializerThatNeverReturnsTimesOutAndTheLoadFails() {
        try (AstridHost h = AstridHost.start(TestHosts.config(dir, false).callTimeout(Duration.ofMillis(300)).build())) {
            dev.astrid.host.spi.GuestCallException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                    dev.astrid.host.spi.GuestCallException.class, () -> TestHosts.loadBare(h, "spin-init"));
            assertThat(e.kind()).isEqualTo(dev.astrid.host.spi.GuestCallException.Kind.TIMEOUT);
            assertThat(e).hasMessageContaining("timed out after 300 ms");
            assertThat(h.capsules()).isEmpty();
            assertThat(TestHosts.loadBare(h, "kernel-probe").call("echo", "ok".getBytes())).asString().isEqualTo("ok");
        }
    }

    @Test
    void twoCapsulesCannotShareAName() {
        try (AstridHost h = AstridHost.start(TestHosts.config(dir, false).build())) {
            TestHosts.loadBare(h, "kernel-probe");
            assertThatThrownBy(() -> TestHosts.loadBare(h, "kernel-probe")).hasMessageContaining("already loaded");
        }
    }

    @Test
    void unloadingStopsARunningCallAndLaterCallsFail() throws Exception {
        try (AstridHost h = AstridHost.start(TestHosts.config(dir, false).build())) {
            LoadedCapsule c = TestHosts.loadBare(h, "kernel-probe");
            java.util.concurrent.CompletableFuture<Throwable> spin = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    c.call("spin", new byte[0], Invocation.Caller.NONE, Duration.ZERO);
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });
            // the spin call is queued or running; unloading must end it either way
            c.unload();
            Throwable t = spin.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(t).isInstanceOf(dev.astrid.host.spi.GuestCallException.class);
            assertThat(((dev.astrid.host.spi.GuestCallException) t).kind()).isEqualTo(dev.astrid.host.spi.GuestCallException.Kind.UNLOADED);
            assertThatThrownBy(() -> c.call("echo", new byte[0], Invocation.Caller.NONE, Duration.ofSeconds(1)))
                    .hasMessageContaining("not loaded");
            assertThat(h.capsules()).isEmpty();
        }
    }
}
