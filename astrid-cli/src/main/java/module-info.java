/**
 * The {@code astrid} command line over the reference host ({@code dev.astrid.reference}): the
 * commands {@code call}, {@code tool}, {@code run}, {@code abi}, {@code secret} and {@code approvals}. The {@code ./astrid}
 * launcher at the root of a checkout starts {@link dev.astrid.cli.AstridCli}.
 */
module dev.astrid.cli {
    requires dev.astrid.reference;
    requires dev.astrid.engine;
    requires dev.astrid.host.spi;
    requires dev.astrid.sys.abi;
    requires dev.astrid.host.kv;
    requires dev.astrid.host.interaction;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.dataformat.toml;
    requires com.google.gson;
    requires info.picocli;
    requires java.logging;

    exports dev.astrid.cli;

    opens dev.astrid.cli to info.picocli;

    uses dev.astrid.host.spi.HostProvider;
}
