package dev.astrid.examples.kv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.spi.StandaloneContext;
import dev.astrid.sys.abi.Family;
import dev.astrid.sys.abi.KvFunctions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the contract does not cover: how a host finds the provider, and using it without a host. */
class InMemoryKvProviderTest {
    @TempDir
    Path temp;

    @Test
    void theModuleDeclaresItAsAHostProvider() {
        Module module = InMemoryKvProvider.class.getModule();
        assertThat(module.getName()).as("tests run on the module path").isEqualTo("dev.astrid.examples.kv");
        module.addUses(HostProvider.class);
        List<HostProvider> found = ServiceLoader.load(HostProvider.class).stream()
                .filter(p -> p.type() == InMemoryKvProvider.class).map(ServiceLoader.Provider::get).toList();
        assertThat(found).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("example-inmemory-kv");
            assertThat(p.family()).isEqualTo(Family.KV);
            assertThat(p.priority()).as("never displaces the built-in one unless chosen")
                    .isLessThan(HostProvider.BUILT_IN_PRIORITY);
        });
    }

    @Test
    void theClassPathServiceFileNamesIt() throws IOException {
        try (InputStream in = InMemoryKvProvider.class.getResourceAsStream("/META-INF/services/" + HostProvider.class.getName())) {
            assertThat(in).as("class-path service file").isNotNull();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip()).isEqualTo(InMemoryKvProvider.class.getName());
        }
    }

    @Test
    void aStandaloneContextBindsItWithoutAHost() {
        InMemoryKvProvider provider = new InMemoryKvProvider();
        KvFunctions kv = provider.bind(StandaloneContext.builder().capsuleId("tool").dataDir(temp).build());
        kv.kvSet(bytes("greeting"), bytes("hello"));
        KvFunctions again = provider.bind(StandaloneContext.builder().capsuleId("tool").dataDir(temp).build());
        assertThat(new String(again.kvGet(bytes("greeting")), StandardCharsets.UTF_8)).isEqualTo("hello");
        KvFunctions other = provider.bind(StandaloneContext.builder().capsuleId("other").dataDir(temp).build());
        assertThat(other.kvGet(bytes("greeting"))).isEmpty();
        provider.close();
        assertThat(provider.bind(StandaloneContext.builder().capsuleId("tool").dataDir(temp).build())
                .kvGet(bytes("greeting"))).as("memory only: gone once the provider closes").isEmpty();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
