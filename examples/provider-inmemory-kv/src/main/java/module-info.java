/**
 * An in-memory provider of the Astrid KV family: what a third-party provider module looks like.
 * The host finds it with {@link java.util.ServiceLoader} through the {@code provides} clause.
 */
module dev.astrid.examples.kv {
    // Transitive: the exported provider's signatures use SPI and ABI types (the SPI requires the ABI transitively).
    requires transitive dev.astrid.host.spi;
    requires com.google.gson;

    exports dev.astrid.examples.kv;

    provides dev.astrid.host.spi.HostProvider with dev.astrid.examples.kv.InMemoryKvProvider;
}
