package dev.astrid.host.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.host.tck.TestCapsule;
import dev.astrid.sys.abi.Family;
import dev.astrid.sys.abi.FsFunctions;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider as the host finds and configures it. */
class FsProviderTest {
    @TempDir
    Path temp;

    @Test
    void itIsTheBuiltInFsProvider() {
        FsProvider p = new FsProvider();
        assertThat(p.name()).isEqualTo("astrid-host-fs");
        assertThat(p.family()).isEqualTo(Family.FS);
        assertThat(p.priority()).isEqualTo(HostProvider.BUILT_IN_PRIORITY);
    }

    @Test
    void itIsDeclaredAsAServiceOnTheModulePathAndTheClassPath() throws IOException {
        Module module = FsProvider.class.getModule();
        assertThat(module.getName()).as("tests run on the module path").isEqualTo("dev.astrid.host.fs");
        ModuleDescriptor.Provides provides = module.getDescriptor().provides().stream()
                .filter(x -> x.service().equals(HostProvider.class.getName()))
                .findFirst().orElseThrow();
        assertThat(provides.providers()).containsExactly(FsProvider.class.getName());
        assertThat(module.getDescriptor().exports()).extracting(ModuleDescriptor.Exports::source)
                .containsExactly("dev.astrid.host.fs");
        try (InputStream in = FsProvider.class.getResourceAsStream("/META-INF/services/" + HostProvider.class.getName())) {
            assertThat(in).as("class-path service file").isNotNull();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip()).isEqualTo(FsProvider.class.getName());
        }
    }

    @Test
    void theServiceLoaderFindsIt() {
        getClass().getModule().addUses(HostProvider.class); // the test runs inside the provider's own module
        List<String> names = ServiceLoader.load(HostProvider.class).stream()
                .map(ServiceLoader.Provider::type).map(Class::getName).toList();
        assertThat(names).contains(FsProvider.class.getName());
    }

    @Test
    void bindGivesACloseableFsFunctionsPerCapsule() {
        TestCapsule.Host host = new TestCapsule.Host(temp);
        FsProvider p = new FsProvider();
        Object a = p.bind(host.capsule("a").build());
        Object b = p.bind(host.capsule("b").build());
        assertThat(a).isInstanceOf(FsFunctions.class).isInstanceOf(AutoCloseable.class).isNotSameAs(b);
        ((CapsuleFileSystem) a).close();
        ((CapsuleFileSystem) b).close();
    }

    @Test
    void settingsHaveDefaults() {
        FsSettings s = FsSettings.from(ProviderSettings.empty(), temp);
        assertThat(s.mode()).isEqualTo(FsSettings.Mode.OVERLAY);
        assertThat(s.onUnload()).isEqualTo(FsSettings.OnUnload.DISCARD);
        assertThat(s.homeRoot()).isEqualTo(temp.resolve("home"));
    }

    @Test
    void settingsAreRead() {
        FsSettings s = FsSettings.from(ProviderSettings.of(Map.of(FsSettings.MODE, " direct ", FsSettings.ON_UNLOAD,
                "commit", FsSettings.HOME_ROOT, "shared/home")), temp);
        assertThat(s.mode()).isEqualTo(FsSettings.Mode.DIRECT);
        assertThat(s.onUnload()).isEqualTo(FsSettings.OnUnload.COMMIT);
        assertThat(s.homeRoot()).isEqualTo(temp.resolve("shared/home"));
        Path absolute = temp.resolve("elsewhere").toAbsolutePath();
        assertThat(FsSettings.from(ProviderSettings.of(Map.of(FsSettings.HOME_ROOT, absolute.toString())), temp).homeRoot())
                .isEqualTo(absolute);
    }

    @Test
    void badSettingsFailTheBindWithTheKey() {
        TestCapsule.Host host = new TestCapsule.Host(temp);
        FsProvider p = new FsProvider();
        assertThatThrownBy(() -> p.bind(host.capsule("m").settings(ProviderSettings.of(Map.of(FsSettings.MODE, "Overlay"))).build()))
                .isInstanceOf(HostException.class)
                .hasMessage("setting fs.mode must be 'direct' or 'overlay', got 'Overlay'");
        assertThatThrownBy(() -> p.bind(host.capsule("u").settings(ProviderSettings.of(Map.of(FsSettings.ON_UNLOAD, "keep"))).build()))
                .isInstanceOf(HostException.class)
                .hasMessage("setting fs.overlay.on-unload must be 'discard' or 'commit', got 'keep'");
        assertThatThrownBy(() -> p.bind(host.capsule("h").settings(ProviderSettings.of(Map.of(FsSettings.HOME_ROOT, " "))).build()))
                .isInstanceOf(HostException.class)
                .hasMessageContaining("fs.home-root");
    }

    @Test
    void aMissingWorkspaceFailsTheBind() throws IOException {
        TestCapsule.Host host = new TestCapsule.Host(temp);
        Files.delete(host.workspace());
        assertThatThrownBy(() -> new FsProvider().bind(host.capsule("x").capabilities(Capabilities.NONE).build()))
                .isInstanceOf(HostException.class)
                .hasMessageContaining("workspace is not usable");
    }
}
