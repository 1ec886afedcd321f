package dev.astrid.host.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.astrid.sys.abi.Family;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProviderSelectionTest {

    private static HostProvider provider(String name, Family family, int priority) {
        return new HostProvider() {
            @Override public String name() { return name; }
            @Override public Family family() { return family; }
            @Override public int priority() { return priority; }
            @Override public Object bind(CapsuleContext capsule) { throw new AssertionError(); }
        };
    }

    private final HostProvider builtIn = provider("built-in-kv", Family.KV, HostProvider.BUILT_IN_PRIORITY);
    private final HostProvider redis = provider("redis-kv", Family.KV, 10);
    private final HostProvider fs = provider("fs", Family.FS, 0);

    @Test
    void higherPriorityWinsWithoutConfiguration() {
        assertThat(ProviderSelection.select(Family.KV, List.of(builtIn, redis, fs), Optional.empty())).contains(redis);
        assertThat(ProviderSelection.select(Family.FS, List.of(builtIn, redis, fs), Optional.empty())).contains(fs);
    }

    @Test
    void configurationBeatsPriority() {
        assertThat(ProviderSelection.select(Family.KV, List.of(builtIn, redis), Optional.of("built-in-kv"))).contains(builtIn);
    }

    @Test
    void unknownConfiguredNameIsAnError() {
        assertThatThrownBy(() -> ProviderSelection.select(Family.KV, List.of(builtIn, redis), Optional.of("mongo")))
                .hasMessageContaining("provider 'mongo' configured for family kv is not installed")
                .hasMessageContaining("built-in-kv, redis-kv");
    }

    @Test
    void aTieIsAnErrorThatAsksForConfiguration() {
        HostProvider other = provider("other-kv", Family.KV, 0);
        assertThatThrownBy(() -> ProviderSelection.select(Family.KV, List.of(builtIn, other), Optional.empty()))
                .hasMessageContaining("built-in-kv, other-kv").hasMessageContaining("choose one by name for family kv (HostConfig.Builder.provider)");
    }

    @Test
    void noProviderMeansAbsent() {
        assertThat(ProviderSelection.select(Family.NET, List.of(builtIn, fs), Optional.empty())).isEmpty();
    }
}
