/**
 * The KV and secrets families of the Astrid host on SQLite: one namespace per capsule, raw values,
 * quotas and a read cache for KV; secrets sealed with AES-256-GCM under a key kept apart from the data.
 *
 * <p>{@link dev.astrid.host.kv.KvStore} and {@link dev.astrid.host.kv.SealedSecretStore} are the Java API
 * an embedding application (or the {@code astrid secret} command) may use directly.
 */
module dev.astrid.host.kv {
    // Transitive: the providers, part of the exported API, implement SPI types.
    requires transitive dev.astrid.host.spi;
    requires dev.astrid.sys.abi;
    requires com.google.gson;
    requires java.sql;
    requires org.xerial.sqlitejdbc;

    exports dev.astrid.host.kv;

    provides dev.astrid.host.spi.HostProvider with
            dev.astrid.host.kv.KvProvider,
            dev.astrid.host.kv.SecretsProvider;
    provides dev.astrid.host.spi.services.SecretStoreFactory with
            dev.astrid.host.kv.SealedSecretStoreFactory;
}
