package dev.astrid.host.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.host.tck.TestCapsule;
import dev.astrid.sys.abi.Family;
import dev.astrid.sys.abi.IdentityFunctions;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider as the host sees it: discovery, where the database goes, lifetime. */
class IdentityProviderTest {
    @TempDir
    Path root;

    private TestCapsule.Host host;
    private final List<HostProvider> opened = new ArrayList<>();

    @BeforeEach
    void setUp() {
        host = new TestCapsule.Host(root);
    }

    @AfterEach
    void closeProviders() {
        opened.forEach(HostProvider::close);
    }

    private IdentityProvider provider() {
        IdentityProvider p = new IdentityProvider();
        opened.add(p);
        return p;
    }

    private TestCapsule capsule(String id, ProviderSettings settings, String... levels) {
        return host.capsule(id).settings(settings)
                .capabilities(Capabilities.builder().identity(levels).build()).build();
    }

    @Test
    void isFoundByTheServiceLoader() {
        // The test runs inside this module, which (rightly) declares no 'uses' of its own.
        getClass().getModule().addUses(HostProvider.class);

        List<String> found = ServiceLoader.load(HostProvider.class).stream()
                .map(ServiceLoader.Provider::type).map(Class::getName).toList();

        assertThat(found).contains(IdentityProvider.class.getName());
    }

    @Test
    void isDeclaredInTheModuleAndInMetaInfServices() throws IOException {
        ModuleDescriptor descriptor = IdentityProvider.class.getModule().getDescriptor();
        assertThat(descriptor.provides()).anySatisfy(p -> {
            assertThat(p.service()).isEqualTo(HostProvider.class.getName());
            assertThat(p.providers()).containsExactly(IdentityProvider.class.getName());
        });
        assertThat(descriptor.exports()).extracting(ModuleDescriptor.Exports::source)
                .containsExactly("dev.astrid.host.identity");

        try (InputStream in = IdentityProvider.class.getModule()
                .getResourceAsStream("META-INF/services/" + HostProvider.class.getName())) {
            assertThat(in).isNotNull();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim())
                    .isEqualTo(IdentityProvider.class.getName());
        }
    }

    @Test
    void namesItsFamily() {
        IdentityProvider p = provider();

        assertThat(p.name()).isEqualTo("astrid-host-identity");
        assertThat(p.family()).isEqualTo(Family.IDENTITY);
        assertThat(p.priority()).isEqualTo(HostProvider.BUILT_IN_PRIORITY);
    }

    @Test
    void opensNothingBeforeTheFirstBindThenUsesTheHostDataDirectory() {
        IdentityProvider p = provider();
        Path expected = host.dataDir().resolve("identity.db");
        assertThat(expected).doesNotExist();

        Object bound = p.bind(capsule("c", ProviderSettings.empty()));

        assertThat(bound).isInstanceOf(IdentityFunctions.class);
        assertThat(expected).isRegularFile();
        try (IdentityStore store = IdentityStore.open(expected)) {
            assertThat(store.resolve("cli", "local")).map(AstridUser::displayName).contains(Optional.of("root"));
        }
    }

    @Test
    void aRelativePathSettingIsTakenFromTheHostDataDirectory() {
        provider().bind(capsule("c", ProviderSettings.of(java.util.Map.of("identity.db-path", "db/ids.sqlite"))));

        assertThat(host.dataDir().resolve("db/ids.sqlite")).isRegularFile();
        assertThat(host.dataDir().resolve("identity.db")).doesNotExist();
    }

    @Test
    void anAbsolutePathSettingIsUsedAsIs() {
        Path elsewhere = root.resolve("elsewhere/identity.sqlite");

        provider().bind(capsule("c", ProviderSettings.of(java.util.Map.of("identity.db-path", elsewhere.toString()))));

        assertThat(elsewhere).isRegularFile();
    }

    @Test
    void anEmptyPathSettingFailsTheBind() {
        TestCapsule c = capsule("c", ProviderSettings.of(java.util.Map.of("identity.db-path", "  ")));

        assertThatThrownBy(() -> provider().bind(c)).isInstanceOf(HostException.class)
                .hasMessage("setting identity.db-path must not be empty");
    }

    @Test
    void aDatabaseThatCannotBeOpenedFailsTheBindAndALaterBindRetries() throws IOException {
        Path file = host.dataDir().resolve("identity.db");
        Files.writeString(file, "not a database ".repeat(100));
        IdentityProvider p = provider();
        TestCapsule c = capsule("c", ProviderSettings.empty());

        assertThatThrownBy(() -> p.bind(c)).isInstanceOf(HostException.class)
                .hasMessageStartingWith("identity store: cannot open " + file + ": ");

        Files.delete(file);
        assertThat(p.bind(c)).isInstanceOf(IdentityFunctions.class);
    }

    @Test
    void everyCapsuleSharesOneStore() {
        IdentityProvider p = provider();
        IdentityFunctions admin = p.bind(capsule("admin", ProviderSettings.empty(), "admin"));
        IdentityFunctions reader = p.bind(capsule("reader", ProviderSettings.empty(), "resolve"));

        String user = json(admin.identityCreateUser(bytes("{\"display_name\":\"S\"}"))).split("\"user_id\":\"")[1].substring(0, 36);
        admin.identityLink(bytes("{\"platform\":\"p\",\"platform_user_id\":\"1\",\"astrid_user_id\":\"" + user + "\",\"method\":\"m\"}"));

        assertThat(json(reader.identityResolve(bytes("{\"platform\":\"p\",\"platform_user_id\":\"1\"}"))))
                .isEqualTo("{\"found\":true,\"user_id\":\"" + user + "\",\"display_name\":\"S\"}");
    }

    @Test
    void theBootstrapUserIsMadeOncePerDatabase() {
        IdentityProvider first = provider();
        IdentityFunctions a = first.bind(capsule("a", ProviderSettings.empty(), "resolve"));
        String rootUser = json(a.identityResolve(bytes("{\"platform\":\"cli\",\"platform_user_id\":\"local\"}")));
        first.close();

        IdentityFunctions b = provider().bind(capsule("b", ProviderSettings.empty(), "resolve"));

        assertThat(json(b.identityResolve(bytes("{\"platform\":\"cli\",\"platform_user_id\":\"local\"}")))).isEqualTo(rootUser);
    }

    @Test
    void afterCloseBindingFailsAndBoundCapsulesGetAStorageError() {
        IdentityProvider p = provider();
        IdentityFunctions bound = p.bind(capsule("c", ProviderSettings.empty(), "resolve"));

        p.close();
        p.close();

        assertThatThrownBy(() -> p.bind(capsule("late", ProviderSettings.empty()))).isInstanceOf(HostException.class)
                .hasMessage("identity provider is closed");
        assertThat(json(bound.identityResolve(bytes("{\"platform\":\"cli\",\"platform_user_id\":\"local\"}"))))
                .isEqualTo("{\"found\":false,\"error\":\"storage error: identity store is closed\"}");
    }

    @Test
    void closingAProviderThatWasNeverBoundIsFine() {
        provider().close();

        assertThat(host.dataDir().resolve("identity.db")).doesNotExist();
    }

    @Test
    void capsulesOnSeveralThreadsAllLand() throws Exception {
        IdentityProvider p = provider();
        int threads = 6;
        int rounds = 20;
        List<IdentityFunctions> capsules = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            capsules.add(p.bind(capsule("c" + t, ProviderSettings.empty(), "admin")));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                IdentityFunctions id = capsules.get(t);
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        String created = json(id.identityCreateUser(bytes("{}")));
                        String user = created.split("\"user_id\":\"")[1].substring(0, 36);
                        String linked = json(id.identityLink(bytes("{\"platform\":\"t" + thread + "\",\"platform_user_id\":\""
                                + i + "\",\"astrid_user_id\":\"" + user + "\",\"method\":\"m\"}")));
                        assertThat(linked).startsWith("{\"ok\":true,");
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        IdentityFunctions checker = capsules.get(0);
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < rounds; i++) {
                assertThat(json(checker.identityResolve(bytes("{\"platform\":\"t" + t + "\",\"platform_user_id\":\"" + i + "\"}"))))
                        .startsWith("{\"found\":true,");
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String json(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
