package dev.astrid.sys.abi;

/** The HTTP family. */
public interface HttpFunctions {
    /** {@code astrid_http_request}: performs a JSON-described request; returns the JSON response. */
    byte[] httpRequest(byte[] requestBytes);
}
