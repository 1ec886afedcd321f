package dev.astrid.examples.kv;

import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.tck.KvProviderContract;

/** The in-memory provider against the KV contract every KV provider must pass. */
class InMemoryKvProviderCompatibilityTest extends KvProviderContract {
    @Override
    protected HostProvider createProvider() {
        return new InMemoryKvProvider();
    }
}
