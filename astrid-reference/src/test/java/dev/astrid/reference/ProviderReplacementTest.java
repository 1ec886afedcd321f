package dev.astrid.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.sys.abi.ClockFunctions;
import dev.astrid.sys.abi.Family;
import dev.astrid.sys.abi.AbiFunction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A provider from outside the project replacing a built-in family, and the selection rule. */
class ProviderReplacementTest {
    @TempDir
    Path dir;

    /** A clock stuck at a fixed instant, as a third party might ship for reproducible tests. */
    static final class FrozenClock implements HostProvider {
        private final String name;
        private final int priority;
        private final long millis;

        FrozenClock(String name, int priority, long millis) {
            this.name = name;
            this.priority = priority;
            this.millis = millis;
        }

        @Override public String name() { return name; }
        @Override public Family family() { return Family.CLOCK; }
        @Override public int priority() { return priority; }

        @Override
        public Object bind(CapsuleContext capsule) {
            return (ClockFunctions) () -> Long.toString(millis).getBytes(StandardCharsets.US_ASCII);
        }
    }

    private static String clock(AstridHost h) {
        return new AbiDriver(TestHosts.loadBare(h, "abi-driver")).text(AbiFunction.CLOCK_MS);
    }

    @Test
    void aHigherPriorityProviderReplacesTheBuiltIn() {
        try (AstridHost h = AstridHost.start(TestHosts.config(dir, false).addProvider(new FrozenClock("frozen", 10, 42)).build())) {
            assertThat(h.boundProviders().get(Family.CLOCK).name()).isEqualTo("frozen");
            assertThat(clock(h)).isEqualTo("42");
        }
    }

    @Test
    void configurationPicksABuiltInOverAHigherPriority() {
        try (AstridHost h = AstridHost.start(TestHosts.config(dir, false).addProvider(new FrozenClock("frozen", 10, 42))
                .provider(Family.CLOCK, "astrid-reference-clock").build())) {
            assertThat(h.boundProviders().get(Family.CLOCK).name()).isEqualTo("astrid-reference-clock");
            assertThat(Long.parseLong(clock(h))).isGreaterThan(1_700_000_000_000L);
        }
    }

    @Test
    void aTieWithTheBuiltInIsRefusedUntilConfigurationChooses() {
        assertThatThrownBy(() -> AstridHost.start(TestHosts.config(dir, false).addProvider(new FrozenClock("frozen", 0, 1)).build()))
                .hasMessageContaining("astrid-reference-clock, frozen").hasMessageContaining("choose one by name for family clock (HostConfig.Builder.provider)");
        try (AstridHost h = AstridHost.start(TestHosts.config(dir, false).addProvider(new FrozenClock("frozen", 0, 7))
                .provider(Family.CLOCK, "frozen").build())) {
            assertThat(clock(h)).isEqualTo("7");
        }
    }

    @Test
    void aFamilyCanBeLeftWithoutAProviderByDiscoveringNothing() {
        try (AstridHost h = AstridHost.start(TestHosts.config(dir, false).discoverProviders(false).build())) {
            assertThat(h.boundProviders()).isEmpty();
            LoadedCapsule c = h.load(CapsuleManifest.bare("bare"), Guests.bytes("abi-driver"), java.util.Optional.empty());
            assertThat(c.unprovidedImports()).hasSize(48);
        }
    }
}
