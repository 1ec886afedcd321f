package dev.astrid.host.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.HostProvider;
import dev.astrid.sys.abi.Family;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every family's contract test shares: a fresh {@link TestCapsule.Host} in a temporary
 * directory per test, the provider under test, and byte helpers.
 *
 * @param <T> the family interface
 */
public abstract class ProviderContract<T> {

    /** A temporary directory, new for each test. */
    @TempDir
    protected Path tempDir;

    /** The test host, new for each test. */
    protected TestCapsule.Host host;

    /** The provider under test, new for each test. */
    protected HostProvider provider;

    /**
     * Creates the provider under test. Called once per test; the provider is closed afterwards by
     * the test that needs it, or left to the garbage collector.
     */
    protected abstract HostProvider createProvider();

    /** The family the contract covers. */
    protected abstract Family family();

    @BeforeEach
    void setUpContract() {
        host = new TestCapsule.Host(tempDir);
        provider = createProvider();
        assertThat(provider.family()).as("family of %s", provider.name()).isEqualTo(family());
    }

    /** Binds the provider for a capsule and checks that the result implements the family API. */
    protected T bind(TestCapsule capsule) {
        Object bound = provider.bind(capsule);
        assertThat(bound).as("binding of %s", provider.name()).isInstanceOf(family().api());
        @SuppressWarnings("unchecked")
        T typed = (T) bound;
        return typed;
    }

    /**
     * Asserts that the provider under test can be found the way a host finds providers: its module
     * (when it is a named module) declares {@code provides dev.astrid.host.spi.HostProvider with} its
     * class, and {@link ServiceLoader#load(Class)} of {@link HostProvider} finds that class on the
     * module path or, for a provider on the class path, through {@code META-INF/services}; the
     * instance the loader makes has the same name and family.
     */
    protected final void assertRegisteredAsService() {
        Class<?> type = provider.getClass();
        Module module = type.getModule();
        if (module.isNamed()) {
            List<String> provided = module.getDescriptor().provides().stream()
                    .filter(p -> p.service().equals(HostProvider.class.getName()))
                    .flatMap(p -> p.providers().stream()).collect(Collectors.toList());
            assertThat(provided).as("module %s must declare 'provides %s with %s'", module.getName(),
                    HostProvider.class.getName(), type.getName()).contains(type.getName());
        }
        List<ServiceLoader.Provider<HostProvider>> found = ServiceLoader.load(HostProvider.class).stream()
                .filter(p -> p.type().equals(type)).collect(Collectors.toList());
        assertThat(found).as("ServiceLoader.load(HostProvider.class) must find %s (module-info 'provides' on the module"
                + " path, META-INF/services/%s on the class path)", type.getName(), HostProvider.class.getName()).hasSize(1);
        HostProvider loaded = found.get(0).get();
        try {
            assertThat(loaded.name()).as("name of the provider ServiceLoader made").isEqualTo(provider.name());
            assertThat(loaded.family()).as("family of the provider ServiceLoader made").isEqualTo(family());
        } finally {
            loaded.close();
        }
    }

    /** UTF-8 bytes of a string. */
    protected static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A string from UTF-8 bytes. */
    protected static String s(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Asserts that the action fails with a {@link HostException} and returns an assertion on it. */
    protected static AbstractThrowableAssert<?, ? extends Throwable> assertHostError(Runnable action) {
        Throwable t = catchThrowable(action::run);
        return assertThat(t).as("expected a HostException").isInstanceOf(HostException.class);
    }
}
