/**
 * The reference Astrid host: the Chicory engine, the Java-native Extism kernel, capsule loading,
 * the families the host supplies itself (clock, config, log, hooks, capability checks, KV, secrets) and the {@code astrid} command line.
 *
 * <p>Embedding applications use {@link dev.astrid.reference.AstridHost}.
 */
module dev.astrid.reference {
    requires transitive dev.astrid.host.spi;
    requires transitive com.dylibso.chicory.runtime;
    requires transitive com.dylibso.chicory.wasm;
    requires com.dylibso.chicory.wasi;
    requires com.dylibso.chicory.compiler;
    requires com.google.gson;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.dataformat.toml;
    requires org.apache.commons.codec;
    requires info.picocli;
    requires java.logging;
    requires java.net.http;
    requires java.sql;
    requires org.xerial.sqlitejdbc;
    requires static com.dylibso.chicory.annotations;

    exports dev.astrid.reference;
    exports dev.astrid.reference.engine;
    exports dev.astrid.reference.kernel;
    exports dev.astrid.reference.capsule;
    exports dev.astrid.reference.kv;

    opens dev.astrid.reference.cli to info.picocli;

    uses dev.astrid.host.spi.HostProvider;

    provides dev.astrid.host.spi.HostProvider with
            dev.astrid.reference.providers.ClockProvider,
            dev.astrid.reference.providers.ConfigProvider,
            dev.astrid.reference.providers.LogProvider,
            dev.astrid.reference.providers.HookProvider,
            dev.astrid.reference.providers.CapabilityProvider,
            dev.astrid.reference.kv.KvProvider,
            dev.astrid.reference.kv.SecretsProvider;
}
