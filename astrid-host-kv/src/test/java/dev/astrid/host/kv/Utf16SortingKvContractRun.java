package dev.astrid.host.kv;

import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.tck.KvProviderContract;

/**
 * The KV contract against {@link Utf16SortingKvProvider}. Not a test of its own (the name keeps
 * Surefire away): {@link KvProviderContractCatchesWrongProvidersTest} runs it and expects failures.
 */
class Utf16SortingKvContractRun extends KvProviderContract {
    @Override
    protected HostProvider createProvider() {
        return new Utf16SortingKvProvider();
    }
}
