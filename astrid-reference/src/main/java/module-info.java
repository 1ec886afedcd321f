/**
 * The reference Astrid host: capsule loading on the {@code dev.astrid.engine} engine,
 * capsule configuration, the provider registry and the {@code astrid} command line. The families come
 * from the family modules on the module path ({@code dev.astrid.host.system}, {@code dev.astrid.host.kv}, ...).
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
}
