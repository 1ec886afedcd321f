package dev.astrid.host.ipc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.tck.TestCapsule;
import dev.astrid.sys.abi.Family;
import dev.astrid.sys.abi.IpcFunctions;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IpcProviderTest {

    @TempDir
    Path tmp;

    @Test
    void theProviderIsFoundWithServiceLoader() {
        // The test classes live inside the module, which declares no 'uses' of its own.
        IpcProviderTest.class.getModule().addUses(HostProvider.class);
        List<HostProvider> found = ServiceLoader.load(HostProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.family() == Family.IPC).collect(Collectors.toList());
        assertThat(found).hasSize(1);
        assertThat(found.get(0)).isInstanceOf(IpcProvider.class);
        assertThat(found.get(0).name()).isEqualTo("astrid-host-ipc");
        assertThat(found.get(0).priority()).isEqualTo(HostProvider.BUILT_IN_PRIORITY);
    }

    @Test
    void theServiceFileNamesTheProvider() throws Exception {
        try (var in = IpcProvider.class.getModule()
                .getResourceAsStream("META-INF/services/dev.astrid.host.spi.HostProvider")) {
            assertThat(in).isNotNull();
            assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim())
                    .isEqualTo(IpcProvider.class.getName());
        }
    }

    @Test
    void bindReturnsAClosableIpcBindingPerCapsule() throws Exception {
        try (IpcProvider provider = new IpcProvider()) {
            TestCapsule.Host host = new TestCapsule.Host(tmp);
            Object a = provider.bind(host.capsule("a").build());
            Object b = provider.bind(host.capsule("b").build());
            assertThat(a).isInstanceOf(IpcFunctions.class).isInstanceOf(AutoCloseable.class).isNotSameAs(b);
            ((AutoCloseable) a).close();
            ((AutoCloseable) b).close();
        }
    }
}
