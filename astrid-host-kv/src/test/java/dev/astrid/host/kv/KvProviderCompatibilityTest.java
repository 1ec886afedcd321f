package dev.astrid.host.kv;

import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.tck.KvProviderContract;

/** The reference KV provider against the KV contract, on a real SQLite file. */
class KvProviderCompatibilityTest extends KvProviderContract {
    @Override
    protected HostProvider createProvider() {
        return new KvProvider();
    }
}
