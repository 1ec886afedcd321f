package dev.astrid.reference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.astrid.engine.EngineOptions;
import dev.astrid.engine.ModuleCache;
import dev.astrid.host.spi.Invocation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a host keeps compiled modules, and how it is told not to. */
class ModuleCacheConfigTest {
    @TempDir
    Path dir;

    @Test
    void theCacheLivesInTheDataDirectoryByDefaultAndCanBeTurnedOff() {
        HostConfig on = TestHosts.config(dir, false).build();
        ModuleCache cache = on.engine().cache();
        assertThat(cache.directory()).isEqualTo(on.dataDir().resolve("cache").resolve("modules"));
        assertThat(cache.keyFile()).isEqualTo(on.dataDir().resolve("cache").resolve("module-cache.key"));
        assertThat(cache.maxBytes()).isEqualTo(ModuleCache.DEFAULT_MAX_BYTES);
        assertThat(TestHosts.config(dir, false).moduleCacheMaxBytes(1024).build().engine().cache().maxBytes()).isEqualTo(1024);
        assertThat(TestHosts.config(dir, false).moduleCache(false).build().engine().cache()).isNull();
        assertThat(TestHosts.config(dir, false).moduleCacheMaxBytes(0).build().engine().cache()).isNull();
        ModuleCache mine = new ModuleCache(dir.resolve("elsewhere"), dir.resolve("k"), 4096);
        assertThat(TestHosts.config(dir, false).engine(EngineOptions.DEFAULT.withCache(mine)).build().engine().cache())
                .isEqualTo(mine);
        assertThat(TestHosts.config(dir, false).engine(EngineOptions.DEFAULT.withCache(mine)).moduleCache(false).build()
                .engine().cache()).isNull();
    }

    @Test
    void twoHostsOnOneDataDirectoryShareOneEntry() throws Exception {
        for (int i = 0; i < 2; i++) {
            try (AstridHost h = AstridHost.start(TestHosts.config(dir, false).build())) {
                LoadedCapsule c = TestHosts.loadBare(h, "kernel-probe");
                assertThat(c.call("echo", "x".getBytes(StandardCharsets.UTF_8), Invocation.Caller.NONE, Duration.ofSeconds(20)))
                        .asString(StandardCharsets.UTF_8).isEqualTo("x");
            }
        }
        try (var entries = Files.list(dir.resolve("data").resolve("cache").resolve("modules"))) {
            assertThat(entries.filter(p -> p.toString().endsWith(".entry")).count()).isEqualTo(1);
        }
    }
}
