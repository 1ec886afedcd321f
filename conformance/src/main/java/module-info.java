/**
 * The Astrid conformance kit: declarative cases for the 48 host functions, run black-box against a
 * host through the documented command line ({@code docs/conformance.md}) or in-process through
 * {@link dev.astrid.conformance.HostUnderTest}.
 */
module dev.astrid.conformance {
    requires dev.astrid.sys.abi;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.toml;
    requires com.google.gson;
    requires info.picocli;
    requires jdk.httpserver;

    exports dev.astrid.conformance;

    opens dev.astrid.conformance to info.picocli;
}
