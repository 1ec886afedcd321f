package dev.astrid.host.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The KV contract is only worth something if it fails a wrong provider: run it against one that
 * sorts keys as Java strings and is not registered for ServiceLoader, and expect exactly those two
 * tests to fail while the rest of the contract passes.
 */
class KvProviderContractCatchesWrongProvidersTest {

    @Test
    void aProviderSortingKeysAsJavaStringsFailsTheOrderTestAndAnUnregisteredOneTheRegistrationTest() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(Utf16SortingKvContractRun.class)).execute();

        assertThat(results.testEvents().failed().stream().map(e -> e.getTestDescriptor().getDisplayName())
                .collect(Collectors.toList()))
                .containsExactlyInAnyOrder("theOrderIsThatOfUnsignedUtf8BytesNotOfJavaStrings()", "isRegisteredForServiceLoader()");
        assertThat(results.testEvents().succeeded().count()).as("the other contract tests pass").isGreaterThan(15);
    }
}
