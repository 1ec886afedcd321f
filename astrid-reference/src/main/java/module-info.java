/**
 * The reference Astrid host: capsule loading on the {@code dev.astrid.engine} engine,
 * capsule configuration, the provider registry and the run orchestration. The {@code astrid}
 * command line over it is the {@code dev.astrid.cli} module. The families come
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
    requires java.logging;

    exports dev.astrid.reference;
    exports dev.astrid.reference.capsule;

    uses dev.astrid.host.spi.HostProvider;
    uses dev.astrid.host.spi.services.SecretStoreFactory;
}
