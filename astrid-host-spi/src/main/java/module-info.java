/**
 * The provider SPI of the Astrid host.
 *
 * <p>A module supplies one family of host functions by declaring
 * {@code provides dev.astrid.host.spi.HostProvider with ...}. The host binds the provider once per
 * loaded capsule and hands it a {@link dev.astrid.host.spi.CapsuleContext}: the capsule's identity,
 * manifest, configuration, directories, clock, logger and a way back into the capsule, and the
 * host services ({@link dev.astrid.host.spi.services}) the embedding application supplies.
 */
module dev.astrid.host.spi {
    requires transitive dev.astrid.sys.abi;
    requires transitive java.sql;
    requires java.net.http;

    exports dev.astrid.host.spi;
    exports dev.astrid.host.spi.manifest;
    exports dev.astrid.host.spi.security;
    exports dev.astrid.host.spi.services;
    exports dev.astrid.host.spi.http;

    uses dev.astrid.host.spi.HostProvider;
}
