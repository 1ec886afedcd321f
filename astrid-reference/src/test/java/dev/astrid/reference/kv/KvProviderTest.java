package dev.astrid.reference.kv;

import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.tck.KvProviderContract;

/** The reference KV provider against the KV contract, on a real SQLite file. */
class KvProviderTest extends KvProviderContract {
    @Override
    protected HostProvider createProvider() {
        return new KvProvider();
    }
}
