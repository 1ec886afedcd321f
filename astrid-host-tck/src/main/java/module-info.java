/**
 * The compatibility kit for host providers: one abstract contract test class per family (extend
 * it and implement its factory method to prove a provider) and {@link dev.astrid.host.tck.TestCapsule},
 * a capsule context for running providers without a wasm engine.
 */
module dev.astrid.host.tck {
    requires transitive dev.astrid.host.spi;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;
    requires com.google.gson;
    requires jdk.httpserver;

    exports dev.astrid.host.tck;

    // ProviderContract checks that the provider under test is registered for ServiceLoader.
    uses dev.astrid.host.spi.HostProvider;
}
