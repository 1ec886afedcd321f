/**
 * The reference Astrid host: capsule loading on the {@code dev.astrid.engine} engine,
 * the families the host supplies itself (clock, config, log, hooks, capability checks) and the {@code astrid} command line.
 *
 * <p>Embedding applications use {@link dev.astrid.reference.AstridHost}.
 */
module dev.astrid.reference {
    requires transitive dev.astrid.host.spi;
    requires transitive dev.astrid.engine;
    requires com.google.gson;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.dataformat.toml;
    requires org.apache.commons.codec;
    requires info.picocli;
    requires java.logging;
    // Only the astrid secret command writes to the secret store directly.
    requires dev.astrid.host.kv;

    exports dev.astrid.reference;
    exports dev.astrid.reference.capsule;

    opens dev.astrid.reference.cli to info.picocli;

    uses dev.astrid.host.spi.HostProvider;

    provides dev.astrid.host.spi.HostProvider with
            dev.astrid.reference.providers.ClockProvider,
            dev.astrid.reference.providers.ConfigProvider,
            dev.astrid.reference.providers.LogProvider,
            dev.astrid.reference.providers.HookProvider,
            dev.astrid.reference.providers.CapabilityProvider;
}
