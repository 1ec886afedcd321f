/**
 * The identity family of the Astrid host: Astrid users and the platform accounts linked to them,
 * kept in an SQLite database shared by every capsule of the host.
 *
 * <p>{@link dev.astrid.host.identity.IdentityStore} is the Java API an embedding application may
 * use directly; {@link dev.astrid.host.identity.IdentityProvider} serves the five
 * {@code astrid_identity_*} host functions on top of it. The JSON adapter is internal.
 */
module dev.astrid.host.identity {
    // Transitive: IdentityProvider, part of the exported API, implements an SPI type.
    requires transitive dev.astrid.host.spi;
    requires dev.astrid.sys.abi;
    requires com.google.gson;
    requires java.sql;
    requires org.xerial.sqlitejdbc;

    exports dev.astrid.host.identity;

    provides dev.astrid.host.spi.HostProvider with dev.astrid.host.identity.IdentityProvider;
}
